using System.Security.Claims;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Qa;

/// <summary>The QA flags console: every flag, what this user gets and why; overrides global or for this session; audit.</summary>
public sealed class FlagsModel(FlagConsole console) : PageModel
{
    public IReadOnlyList<FlagRow> Rows { get; private set; } = [];
    /// <summary>Null while the database does not answer.</summary>
    public IReadOnlyList<FlagAuditEntry>? Audit { get; private set; }

    /// <summary>Set while the global overrides in force could not be refreshed from the database.</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset FailingSince)? StaleOverrides { get; private set; }

    [TempData] public string? StatusMessage { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await HttpContext.Session.LoadAsync(cancellationToken);
        Rows = await console.ReadAsync(cancellationToken);
        Audit = await console.AuditAsync(50, cancellationToken);
        StaleOverrides = console.StaleOverrides;
    }

    public Task<IActionResult> OnPostGlobalAsync(string? flag, string? value, CancellationToken cancellationToken) =>
        RunAsync(() => console.SetAsync(flag, value, globally: true, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSessionAsync(string? flag, string? value, CancellationToken cancellationToken) =>
        RunAsync(() => console.SetAsync(flag, value, globally: false, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResetAsync(string? flag, CancellationToken cancellationToken) =>
        RunAsync(() => console.ResetAsync(flag, Actor, cancellationToken), cancellationToken);

    private string Actor => User.FindFirstValue("sub") ?? "unknown";

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
