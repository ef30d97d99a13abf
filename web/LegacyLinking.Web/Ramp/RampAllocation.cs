using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Ramp;

/// <summary>
/// The plan written as the flag's percentile allocation: the new flow gets percentiles [0, p), the old one [p, 100),
/// under the flag's own seed. A user's percentile never changes, so within a step a user keeps one flow, and raising
/// p only moves users from the old flow to the new one (lowering it, only back).
/// </summary>
public static class RampAllocation
{
    public static FeatureDefinition Apply(FeatureDefinition definition, RampPlan plan)
    {
        if (definition.Variants?.Any(v => v.Name == plan.ToFlow) != true || !definition.Variants.Any(v => v.Name == plan.FromFlow))
            return definition; // a flow no longer configured: the start check names it; the plan is ignored meanwhile
        var percentiles = new List<PercentileAllocation>();
        if (plan.Percent > 0) percentiles.Add(new PercentileAllocation { Variant = plan.ToFlow, From = 0, To = plan.Percent });
        if (plan.Percent < 100) percentiles.Add(new PercentileAllocation { Variant = plan.FromFlow, From = plan.Percent, To = 100 });
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
                DefaultWhenEnabled = plan.FromFlow,
                DefaultWhenDisabled = plan.FromFlow,
                Seed = definition.Allocation?.Seed,
            },
            Telemetry = definition.Telemetry,
        };
    }
}
