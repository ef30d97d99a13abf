using System.Net;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace LegacyLinking.LocalTenant.LocalTools;

/// <summary>
/// The developer tools (dashboard, test controls) have no login: they answer only a loopback peer that addresses the
/// tenant by a loopback name. The Host check stops DNS rebinding, where a web page re-points its own name at 127.0.0.1
/// and would otherwise read the dashboard same-origin (and its antiforgery token with it).
/// </summary>
public sealed class LocalToolsGuard(RequestDelegate next, IConfiguration configuration)
{
    public static readonly string[] GuardedPrefixes = ["/test", "/dashboard"];

    private readonly string _tenantHost = LocalTenantApp.UrlOf(configuration).Host;

    public Task InvokeAsync(HttpContext http)
    {
        if (!GuardedPrefixes.Any(prefix => http.Request.Path.StartsWithSegments(prefix)) || IsLocal(http)) return next(http);
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return http.Response.WriteAsync("The local tenant's developer tools answer only on the loopback interface.");
    }

    private bool IsLocal(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is { } peer && !IPAddress.IsLoopback(peer)) return false;
        var host = http.Request.Host.Host.Trim('[', ']');
        return host.Equals(_tenantHost.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}

public static class LocalToolsSetup
{
    public static IApplicationBuilder UseTenantLocalToolsGuard(this IApplicationBuilder app) => app.UseMiddleware<LocalToolsGuard>();
}
