using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Flags;

/// <summary>A variant flag's allocation decided elsewhere (the guarded ramp): <see cref="Percent"/> of users on <see cref="To"/>, the rest on <see cref="From"/>.</summary>
public sealed record PlannedAllocation(string From, string To, int Percent)
{
    /// <summary>
    /// Written as the flag's percentile allocation: <see cref="To"/> gets percentiles [0, p), <see cref="From"/> [p, 100),
    /// under the flag's own seed. A user's percentile never changes, so within a step a user keeps one variant, and
    /// raising p only moves users from <see cref="From"/> to <see cref="To"/> (lowering it, only back).
    /// </summary>
    public FeatureDefinition Apply(FeatureDefinition definition)
    {
        if (definition.Variants?.Any(v => v.Name == To) != true || !definition.Variants.Any(v => v.Name == From))
            return definition; // a variant no longer configured: the plan is ignored meanwhile
        var percentiles = new List<PercentileAllocation>();
        if (Percent > 0) percentiles.Add(new PercentileAllocation { Variant = To, From = 0, To = Percent });
        if (Percent < 100) percentiles.Add(new PercentileAllocation { Variant = From, From = Percent, To = 100 });
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
                DefaultWhenEnabled = From,
                DefaultWhenDisabled = From,
                Seed = definition.Allocation?.Seed,
            },
            Telemetry = definition.Telemetry,
        };
    }
}

/// <summary>Where planned allocations come from (registered by the guarded ramp; without it, none).</summary>
public interface IPlannedAllocations
{
    /// <summary>The allocation planned for <paramref name="flag"/> now, or null to leave it to configuration.</summary>
    ValueTask<PlannedAllocation?> ForAsync(string flag);
}
