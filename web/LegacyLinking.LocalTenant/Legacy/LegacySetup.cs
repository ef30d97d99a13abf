using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>The deprecated linking features, each behind its tenant flag, each use noted in the tenant log.</summary>
public static class LegacySetup
{
    public static WebApplicationBuilder AddTenantLegacyFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeprecationNoticeWindows>();
        builder.Services.AddScoped<DeprecationNotes>();
        builder.Services.AddScoped<AuthorizeLinking>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLegacyEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapLegacyUnlink();
}
