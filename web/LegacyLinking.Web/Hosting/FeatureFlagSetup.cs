using LegacyLinking.Web.Flags;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Hosting;

public static class FeatureFlagSetup
{
    /// <summary>
    /// Microsoft.FeatureManagement over <c>feature_management</c>, targeting by <c>sub</c> and groups, with QA
    /// overrides (session, then global) applied by the definition provider.
    /// </summary>
    public static IHostApplicationBuilder AddFeatureFlags(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GlobalFlagOverrides>();
        services.AddSingleton<SessionFlagOverrides>();
        services.AddSingleton(_ => new ConfigurationFeatureDefinitionProvider(builder.Configuration));
        services.AddSingleton<OverridingFeatureDefinitionProvider>();
        services.AddSingleton<IFeatureDefinitionProvider>(sp => sp.GetRequiredService<OverridingFeatureDefinitionProvider>());
        services.AddFeatureManagement().WithTargeting<QaTargetingContextAccessor>();
        services.AddScoped<FlagEvaluator>();
        services.AddOptions<FlagSettings>().BindConfiguration(FlagSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FlagSettings>, FlagSettingsValidator>();
        return builder;
    }
}
