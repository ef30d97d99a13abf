using LegacyLinking.LocalTenant.Legacy;
using LegacyLinking.LocalTenant.LocalTools;
using LegacyLinking.LocalTenant.Management;
using LegacyLinking.LocalTenant.Oidc;
using LegacyLinking.LocalTenant.PasswordReset;
using LegacyLinking.LocalTenant.RateLimiting;
using LegacyLinking.LocalTenant.TestControls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The request pipeline, outermost first.</summary>
public static class PipelineSetup
{
    public static WebApplication UseTenantPipeline(this WebApplication app)
    {
        app.UseTenantProxy();
        // Anything that escapes is a bug: a plain 500 page, never a stack trace.
        app.UseExceptionHandler("/error");
        // Before anything else answers: a request for another host name, or a cross-site state change, goes no further.
        app.UseTenantRequestOriginGuard();
        // 4xx without a body (OpenIddict errors that cannot go back to a client, 404s, rejected input) get /error.
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        // Machine endpoints answer in JSON / WWW-Authenticate, never with the HTML page.
        app.Use((http, next) =>
        {
            if (IsMachineEndpoint(http.Request.Path) && http.Features.Get<IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(http);
        });
        app.UseMiddleware<BadRequestMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // Before the developer-tools guard, rate limits and faults: a preflight is answered here and costs nothing.
        app.UseWhen(http => IsMachineEndpoint(http.Request.Path) && !http.Request.Path.StartsWithSegments(TestControlsSetup.PathPrefix),
            branch => branch.UseCors(CorsSetup.PolicyName));
        app.UseMiddleware<JsonTokenRequestMiddleware>();
        // Developer tools (/dashboard, /test/*) answer loopback callers only.
        app.UseTenantLocalToolsGuard();
        // Test controls' call log outside the rate limiter, so 429s are recorded; faults inside it, so faulted
        // Management API replies still carry the x-ratelimit-* headers.
        app.UseTenantCallLog();
        app.UseTenantRateLimits();
        app.UseTenantFaults();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapRazorPages();
        app.MapTenantOidc();
        app.MapTenantManagementApi();
        app.MapLegacyEndpoints();
        app.MapTenantPasswordReset();
        LegacyLinking.LocalTenant.Management.Jobs.VerificationEmailEndpoint.MapEmailVerification(app);
        app.MapTenantTestControls();
        return app;
    }

    private static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/oauth") || path.StartsWithSegments("/userinfo") || path.StartsWithSegments("/dbconnections")
        || path.StartsWithSegments("/.well-known") || path.StartsWithSegments("/api")
        || path.StartsWithSegments(TestControlsSetup.PathPrefix);
}
