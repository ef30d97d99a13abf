using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Ramp;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Qa;

/// <summary>One operation's ramp as the page shows it: the plan, what decides the allocation now, and the step's evidence so far.</summary>
public sealed record RampView(string Operation, string Flag, RampPlan? Plan, string? GlobalOverride, RampWindow? Window, double? PValue, string? RecordProblem);

/// <summary>
/// The guarded ramp's console: per operation the plan (edited while it does not run), its controls, each with a
/// required why and audited with who; the guardrail's numbers for the current step; the history in plain words.
/// </summary>
public sealed class RampModel(RampStore store, RampEngine engine, GlobalFlagOverrides overrides, TimeProvider clock) : PageModel
{
    public const int HistorySize = 50;
    public const int MaxWhy = 512;

    public IReadOnlyList<RampView> Views { get; private set; } = [];
    public IReadOnlyList<RampEvent> History { get; private set; } = [];

    [TempData] public string? StatusMessage { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var globals = await overrides.GetAllAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var views = new List<RampView>();
        foreach (var operation in RampPlanInput.Operations)
        {
            var flag = operation == Linking.LinkingService.Link ? FlagNames.LinkFlow : FlagNames.UnlinkFlow;
            var plan = await store.ReadAsync(operation, cancellationToken);
            RampWindow? window = null;
            string? problem = null;
            if (plan?.StepStartedAtUtc is { } since)
            {
                window = await engine.WindowAsync(plan, since, now, cancellationToken);
                problem = await engine.RecordProblemAsync(since, now, cancellationToken);
            }
            views.Add(new RampView(operation, flag, plan, globals.TryGetValue(flag, out var global) ? global.Value : null,
                window, window is null ? null : RampGuardrail.PValue(window), problem));
        }
        Views = views;
        History = await store.HistoryAsync(null, HistorySize, cancellationToken);
    }

    public Task<IActionResult> OnPostSaveAsync(string? operation, string? fromFlow, string? toFlow, string? steps, string? minStepSeconds,
        string? minRequests, string? alpha, bool dryRun, string? why, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var plan = new RampPlanInput(operation, fromFlow, toFlow, steps, minStepSeconds, minRequests, alpha, dryRun).Validate(errors);
        return RunAsync(why, errors, actor => store.SaveAsync(plan!, actor, cancellationToken));
    }

    public Task<IActionResult> OnPostControlAsync(string? operation, string? action, string? why, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (operation is null || !RampPlanInput.Operations.Contains(operation)) errors.Add($"The operation must be {string.Join(" or ", RampPlanInput.Operations)}.");
        else if (action is null || !RampActions.Controls.Contains(action)) errors.Add($"The control must be one of {string.Join(", ", RampActions.Controls)}.");
        return RunAsync(why, errors, actor => store.ControlAsync(operation!, action!, actor, cancellationToken));
    }

    private async Task<IActionResult> RunAsync(string? why, List<string> errors, Func<RampActor, Task<string>> change)
    {
        var reason = why?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add("Say why: every change to a ramp is kept with its reason.");
        else if (reason.Length > MaxWhy) errors.Add($"The reason may be at most {MaxWhy} characters.");
        if (errors.Count > 0)
        {
            StatusMessage = "Error: " + string.Join(" ", errors);
            return RedirectToPage();
        }
        var who = FlagActor.Of(User);
        try
        {
            StatusMessage = await change(new RampActor(who.Id, who.Name, who.Email, reason!));
        }
        catch (ArgumentException e)
        {
            StatusMessage = "Error: " + e.Message;
        }
        return RedirectToPage();
    }
}
