using LegacyLinking.LocalTenant.Legacy;
using LegacyLinking.LocalTenant.Management;
using LegacyLinking.LocalTenant.Oidc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The request pipeline, outermost first.</summary>
public static class PipelineSetup
{
    public static WebApplication UseTenantPipeline(this WebApplication app)
    {
        // Anything that escapes is a bug: a plain 500 page, never a stack trace.
        app.UseExceptionHandler("/error");
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
        app.UseMiddleware<JsonTokenRequestMiddleware>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapRazorPages();
        app.MapTenantOidc();
        app.MapTenantManagementApi();
        app.MapLegacyEndpoints();
        return app;
    }

    private static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/oauth") || path.StartsWithSegments("/userinfo")
        || path.StartsWithSegments("/.well-known") || path.StartsWithSegments("/api");
}
