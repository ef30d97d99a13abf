using LegacyLinking.Web.Flags;
using LegacyLinking.Web.QaConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Qa;

/// <summary>
/// The QA flags console: every flag, what this user gets and why; overrides for this session (at once) or for everyone
/// (after a confirmation step that says how many users it reaches); the change log, paged.
/// </summary>
public sealed class FlagsModel(FlagConsole console) : PageModel
{
    public IReadOnlyList<FlagRow> Rows { get; private set; } = [];
    /// <summary>Null while the database does not answer.</summary>
    public AuditPage? Audit { get; private set; }

    /// <summary>Set while the global overrides in force could not be refreshed from the database.</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset FailingSince)? StaleOverrides { get; private set; }

    /// <summary>Set on the confirmation step of a change for everyone: the page shows only that.</summary>
    public GlobalChange? Pending { get; private set; }

    [TempData] public string? StatusMessage { get; set; }

    /// <param name="changes">The change log's page (1 is the newest); anything out of range shows the nearest page.</param>
    public async Task OnGetAsync(int changes, CancellationToken cancellationToken)
    {
        await HttpContext.Session.LoadAsync(cancellationToken);
        Rows = await console.ReadAsync(cancellationToken);
        Audit = await console.AuditAsync(changes, cancellationToken);
        StaleOverrides = console.StaleOverrides;
    }

    public Task<IActionResult> OnPostSessionAsync(string? flag, string? value, CancellationToken cancellationToken) =>
        RunAsync(() => console.SetSessionAsync(flag, value ?? "", Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostClearSessionAsync(string? flag, CancellationToken cancellationToken) =>
        RunAsync(() => console.SetSessionAsync(flag, null, Actor, cancellationToken), cancellationToken);

    /// <summary>The first step of a change for everyone: nothing changes yet; the page asks QA to confirm.</summary>
    public Task<IActionResult> OnPostGlobalAsync(string? flag, string? value, CancellationToken cancellationToken) =>
        ConfirmStepAsync(flag, value ?? "", cancellationToken);

    public Task<IActionResult> OnPostClearGlobalAsync(string? flag, CancellationToken cancellationToken) =>
        ConfirmStepAsync(flag, null, cancellationToken);

    /// <param name="value">Empty or absent clears the override for everyone (the confirmation form sends it so).</param>
    public Task<IActionResult> OnPostConfirmGlobalAsync(string? flag, string? value, CancellationToken cancellationToken) =>
        RunAsync(() => console.SetGlobalAsync(flag, string.IsNullOrEmpty(value) ? null : value, Actor, cancellationToken), cancellationToken);

    private FlagActor Actor => FlagActor.Of(User);

    private async Task<IActionResult> ConfirmStepAsync(string? flag, string? value, CancellationToken cancellationToken)
    {
        await HttpContext.Session.LoadAsync(cancellationToken);
        try
        {
            Pending = await console.PrepareGlobalAsync(flag, value, cancellationToken);
        }
        catch (ArgumentException e)
        {
            StatusMessage = "Error: " + e.Message;
            return RedirectToPage();
        }
        if (Pending is null)
        {
            StatusMessage = value is null ? $"{flag} has no override for everyone: nothing to clear." : $"{flag} already is {value} for everyone: nothing changed.";
            return RedirectToPage();
        }
        return Page();
    }

    private async Task<IActionResult> RunAsync(Func<Task<string>> change, CancellationToken cancellationToken)
    {
        await HttpContext.Session.LoadAsync(cancellationToken);
        try
        {
            StatusMessage = await change();
        }
        catch (ArgumentException e)
        {
            StatusMessage = "Error: " + e.Message;
        }
        return RedirectToPage();
    }
}
