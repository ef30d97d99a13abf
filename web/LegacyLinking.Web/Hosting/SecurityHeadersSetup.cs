namespace LegacyLinking.Web.Hosting;

public static class SecurityHeadersSetup
{
    /// <summary>No framing, no referrer (tokens must never leak through Referer), no third-party content.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var tenant = app.ApplicationServices.GetRequiredService<Auth0Tenant>();
        // Forms may only lead here or to the tenant (login, logout and link redirects follow a POST).
        var policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + $"form-action 'self' {tenant.AuthorityText}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            await next();
        });
    }
}
