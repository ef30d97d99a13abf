using LegacyLinking.Web.Authentication;
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
        services.AddSession(options =>
        {
            options.Cookie.Name = AuthSchemes.SessionStateCookie;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure over HTTPS (the session middleware's default never marks it Secure); plain-http loopback dev keeps it.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.IsEssential = true;
            options.IdleTimeout = TimeSpan.FromHours(8);
        });
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
