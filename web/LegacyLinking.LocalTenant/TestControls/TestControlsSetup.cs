using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// Test controls (<c>LocalTenant:TestControls</c>, off unless set): fault injection, ID-token and metadata mutation and the call log,
/// under <c>/test/*</c>. When off nothing is registered, mapped or run, so <c>/test/*</c> is a plain 404 and the
/// app-facing endpoints behave exactly as without this feature.
/// </summary>
public static class TestControlsSetup
{
    public const string SettingKey = "LocalTenant:TestControls";
    public const string PathPrefix = "/test";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(SettingKey);

    public static WebApplicationBuilder AddTenantTestControls(this WebApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration)) return builder;
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<IdTokenMutations>();
        builder.Services.AddSingleton<MetadataMutations>();
        builder.Services.AddScoped<IdTokenMutator>();
        builder.Services.AddSingleton<CallLog>();
        builder.Services.AddScoped<BearerClassifier>();
        return builder;
    }

    /// <summary>Outermost of the test controls, so it records what the caller finally got (429s and faults included).</summary>
    public static WebApplication UseTenantCallLog(this WebApplication app)
    {
        if (IsEnabled(app.Configuration)) app.UseMiddleware<CallLogMiddleware>();
        return app;
    }

    /// <summary>Inside rate limiting, so a faulted Management API reply still carries the x-ratelimit-* headers.</summary>
    public static WebApplication UseTenantFaults(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration)) return app;
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<IdTokenMutationMiddleware>();
        app.UseMiddleware<MetadataMutationMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapTenantTestControls(this WebApplication app) =>
        IsEnabled(app.Configuration) ? app.MapTestControlRoutes() : app;
}
