using System.Runtime.CompilerServices;
using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// The flag definitions every evaluation sees: <c>feature_management</c> from configuration, with a QA override laid
/// over it — the caller's session override first, then the global one. Because the override lives at the
/// definition level, pages, flows and the <c>&lt;feature&gt;</c> tag helper all get the same answer. Without an
/// override, a planned allocation (the guarded ramp's) replaces the configured one.
/// </summary>
public sealed class OverridingFeatureDefinitionProvider(
    ConfigurationFeatureDefinitionProvider configured,
    GlobalFlagOverrides global,
    SessionFlagOverrides session,
    IPlannedAllocations? plans = null) : IFeatureDefinitionProvider
{
    public async Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
    {
        var definition = await configured.GetFeatureDefinitionAsync(featureName);
        return definition is null ? definition! : await LayeredAsync(definition);
    }

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        await foreach (var definition in configured.GetAllFeatureDefinitionsAsync())
            yield return await LayeredAsync(definition);
    }

    private async ValueTask<FeatureDefinition> LayeredAsync(FeatureDefinition definition)
    {
        if (await ActiveOverrideAsync(definition.Name) is { } applied) return Apply(definition, applied.Value);
        return plans is not null && await plans.ForAsync(definition.Name) is { } plan ? plan.Apply(definition) : definition;
    }

    /// <summary>The override in force for this caller, and which kind it is (<c>QaSession</c> or <c>QaGlobal</c>).</summary>
    public async ValueTask<(string Value, string Reason)?> ActiveOverrideAsync(string featureName)
    {
        if (session.Get(featureName) is { } mine) return (mine, FlagReasons.QaSession);
        var all = await global.GetAllAsync();
        return all.TryGetValue(featureName, out var everyone) ? (everyone.Value, FlagReasons.QaGlobal) : null;
    }

    /// <summary>
    /// A variant override pins the default variant and drops user/group/percentile allocation; an on/off override
    /// turns the flag always on or disabled.
    /// </summary>
    private static FeatureDefinition Apply(FeatureDefinition definition, string value)
    {
        var isVariantFlag = definition.Variants?.Any() == true;
        if (isVariantFlag && !definition.Variants!.Any(v => v.Name == value)) return definition; // stale override: ignore
        var on = isVariantFlag || value == OnOff.On;
        return new FeatureDefinition
        {
            Name = definition.Name,
            RequirementType = definition.RequirementType,
            Status = on ? FeatureStatus.Conditional : FeatureStatus.Disabled,
            EnabledFor = on ? [new FeatureFilterConfiguration { Name = "AlwaysOn" }] : [],
            Variants = definition.Variants,
            Allocation = isVariantFlag
                ? new Allocation { DefaultWhenEnabled = value, DefaultWhenDisabled = value, Seed = definition.Allocation?.Seed }
                : definition.Allocation,
            Telemetry = definition.Telemetry,
        };
    }
}
