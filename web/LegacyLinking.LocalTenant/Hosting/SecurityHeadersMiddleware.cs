using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// Tenant pages must not be framed (clickjacking the login form) and must not leak codes or return URLs through
/// the Referer header.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(http);
    }
}
