using System.Globalization;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.Ramp;

/// <summary>A plan as QA typed it, checked before anything is stored: every problem is one plain sentence.</summary>
public sealed record RampPlanInput(string? Operation, string? FromFlow, string? ToFlow, string? Steps, string? MinStepSeconds, string? MinRequests, string? Alpha, bool DryRun)
{
    public const int MaxStepSeconds = 30 * 86_400;
    public const int MaxRequests = 1_000_000;

    public static readonly IReadOnlyList<string> Operations = [LinkingService.Link, LinkingService.Unlink];

    /// <summary>The checked plan, or null with <paramref name="errors"/> filled.</summary>
    public RampPlan? Validate(List<string> errors)
    {
        if (Operation is null || !Operations.Contains(Operation))
        {
            errors.Add($"The operation must be {string.Join(" or ", Operations)}.");
            return null;
        }
        var flows = FlowCatalogue.NamesOf(Operation);
        if (FromFlow is null || !flows.Contains(FromFlow)) errors.Add($"The flow to move from must be one of the {Operation} flows: {string.Join(", ", flows)}.");
        if (ToFlow is null || !flows.Contains(ToFlow)) errors.Add($"The flow to move to must be one of the {Operation} flows: {string.Join(", ", flows)}.");
        else if (ToFlow == FromFlow) errors.Add("The flow to move to must differ from the flow to move from.");
        var steps = ParseSteps(Steps, out var stepError);
        if (steps is null) errors.Add(stepError!);
        var seconds = Whole(MinStepSeconds, "The minimum time per step", 0, MaxStepSeconds, errors);
        var requests = Whole(MinRequests, "The minimum requests per step", 0, MaxRequests, errors);
        double alpha = 0;
        if (!double.TryParse(Alpha?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out alpha) || !(alpha > 0 && alpha <= 0.5))
            errors.Add("The guardrail's threshold must be a number above 0 and at most 0.5 (e.g. 0.05).");
        if (errors.Count > 0) return null;
        return new RampPlan
        {
            Operation = Operation, FromFlow = FromFlow!, ToFlow = ToFlow!, Steps = string.Join(",", steps!), MinStepSeconds = seconds,
            MinRequests = requests, Alpha = alpha, DryRun = DryRun,
        };
    }

    /// <summary>Percentages, comma-separated, each 1–100, strictly ascending, the last 100.</summary>
    public static IReadOnlyList<int>? ParseSteps(string? text, out string? error)
    {
        error = null;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.TrimEnd('%').Trim()).ToList();
        var steps = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step is < 1 or > 100)
            {
                error = "Each step must be a whole percentage from 1 to 100, e.g. 1, 5, 25, 50, 100.";
                return null;
            }
            steps.Add(step);
        }
        if (steps.Count is 0 or > 20) error = "Give from 1 to 20 steps, e.g. 1, 5, 25, 50, 100.";
        else if (steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First)) error = "The steps must go up, each larger than the one before.";
        else if (steps[^1] != 100) error = "The last step must be 100.";
        return error is null ? steps : null;
    }

    private static int Whole(string? text, string what, int min, int max, List<string> errors)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors.Add($"{what} must be a whole number from {min:N0} to {max:N0}.");
        return 0;
    }
}
