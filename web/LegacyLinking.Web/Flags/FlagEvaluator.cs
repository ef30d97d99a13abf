using System.Diagnostics;
using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// Evaluates a flag for the current request through Microsoft.FeatureManagement and reports the library's own
/// assignment reason (User, Group, Percentile, DefaultWhen…) — or QaSession/QaGlobal when an override decided.
/// </summary>
public sealed class FlagEvaluator(IVariantFeatureManagerSnapshot features, OverridingFeatureDefinitionProvider definitions)
{
    public async Task<FlagDecision> EvaluateAsync(string flag, CancellationToken cancellationToken = default)
    {
        using var capture = FeatureEvaluationCapture.Begin();
        var variant = FlagNames.IsVariantFlag(flag) ? await features.GetVariantAsync(flag, cancellationToken) : null;
        var enabled = await features.IsEnabledAsync(flag, cancellationToken);
        var overridden = await definitions.ActiveOverrideAsync(flag);
        var reason = overridden?.Reason ?? capture.Reason ?? (enabled ? FlagReasons.DefaultWhenEnabled : FlagReasons.DefaultWhenDisabled);
        return new FlagDecision(flag, enabled, variant?.Name, reason);
    }
}

/// <summary>
/// Listens to the <c>Microsoft.FeatureManagement</c> ActivitySource and hands the <c>VariantAssignmentReason</c> of
/// the evaluation running in this async flow to whoever began the capture.
/// </summary>
public sealed class FeatureEvaluationCapture : IDisposable
{
    private static readonly AsyncLocal<FeatureEvaluationCapture?> Current = new();
    private static readonly ActivityListener Listener = CreateListener();

    private FeatureEvaluationCapture()
    {
    }

    public string? Reason { get; private set; }

    public static FeatureEvaluationCapture Begin()
    {
        _ = Listener;
        var capture = new FeatureEvaluationCapture();
        Current.Value = capture;
        return capture;
    }

    public void Dispose() => Current.Value = null;

    private static ActivityListener CreateListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.FeatureManagement",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Current.Value is not { } capture) return;
                foreach (var evaluation in activity.Events.Where(e => e.Name == "FeatureFlag"))
                {
                    var reason = evaluation.Tags.FirstOrDefault(t => t.Key == "VariantAssignmentReason").Value?.ToString();
                    if (!string.IsNullOrEmpty(reason) && reason != "None") capture.Reason = reason;
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
