using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// A flow flag's allocation decided by a plan rather than by configuration (the guarded ramp): <see cref="Percent"/> of
/// users on <see cref="ToFlow"/>, the rest on <see cref="FromFlow"/>.
/// </summary>
public sealed record PlannedAllocation(string FromFlow, string ToFlow, int Percent)
{
    /// <summary>
    /// The plan written as the flag's percentile allocation: the new flow gets percentiles [0, p), the old one [p, 100),
    /// under the flag's own seed. A user's percentile never changes, so within a step a user keeps one flow, and raising
    /// p only moves users from the old flow to the new one (lowering it, only back).
    /// </summary>
    public FeatureDefinition Apply(FeatureDefinition definition)
    {
        if (definition.Variants?.Any(v => v.Name == ToFlow) != true || !definition.Variants.Any(v => v.Name == FromFlow))
            return definition; // a flow no longer configured: the start check names it; the plan is ignored meanwhile
        var percentiles = new List<PercentileAllocation>();
        if (Percent > 0) percentiles.Add(new PercentileAllocation { Variant = ToFlow, From = 0, To = Percent });
        if (Percent < 100) percentiles.Add(new PercentileAllocation { Variant = FromFlow, From = Percent, To = 100 });
        return new FeatureDefinition
        {
            Name = definition.Name,
            RequirementType = definition.RequirementType,
            Status = FeatureStatus.Conditional,
            EnabledFor = [new FeatureFilterConfiguration { Name = "AlwaysOn" }],
            Variants = definition.Variants,
            Allocation = new Allocation
            {
                Percentile = percentiles,
                DefaultWhenEnabled = FromFlow,
                DefaultWhenDisabled = FromFlow,
                Seed = definition.Allocation?.Seed,
            },
            Telemetry = definition.Telemetry,
        };
    }
}

/// <summary>Where planned allocations come from (the guarded ramp's plans); the flags only apply them.</summary>
public interface IPlannedAllocations
{
    /// <summary>The plan that decides <paramref name="featureName"/>'s allocation now, or null.</summary>
    ValueTask<PlannedAllocation?> InForceAsync(string featureName);
}
