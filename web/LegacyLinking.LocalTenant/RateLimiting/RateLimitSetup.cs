using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.RateLimiting;

/// <summary>
/// Auth0-style rate limiting (<c>LocalTenant:RateLimit</c>, off by default). Registered always: even when off, the
/// Management API's replies carry the configured bucket's headers, as clients and their tests read them.
/// </summary>
public static class RateLimitSetup
{
    public static WebApplicationBuilder AddTenantRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TenantRateLimits>();
        return builder;
    }

    public static IApplicationBuilder UseTenantRateLimits(this IApplicationBuilder app)
    {
        // Resolved now so a bad LocalTenant:RateLimit section stops the start instead of failing the first request.
        app.ApplicationServices.GetRequiredService<TenantRateLimits>();
        return app.UseMiddleware<RateLimitMiddleware>();
    }
}
