using LegacyLinking.Web.Auth0;
namespace LegacyLinking.Web.Hosting;

public static class SecurityHeadersSetup
{
    /// <summary>No framing, no referrer (tokens must never leak through Referer), no third-party content.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // Built at the first request, not here: the tenant's settings are checked when the app starts, after this runs.
        string? policy = null;
        return app.Use(async (context, next) =>
        {
            policy ??= Policy(context.RequestServices.GetRequiredService<Auth0Tenant>());
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            await next();
        });
    }

    // Forms may only lead here or to the tenant (login, logout and link redirects follow a POST).
    private static string Policy(Auth0Tenant tenant) =>
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + $"form-action 'self' {tenant.AuthorityText}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
}
