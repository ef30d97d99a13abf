using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy (<c>LocalTenant:KnownProxies</c>: the proxy's IP addresses), the tenant reads
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> from those addresses only, and a request that came through the
/// proxy gets its issuer, API identifiers and endpoint URLs from the address the proxy was asked for — as Auth0 issues
/// tokens for the (custom) domain a request used. Requests straight to the tenant, and forwarded headers from anyone
/// else, keep <c>LocalTenant:Url</c>'s.
/// </summary>
public static class ProxySetup
{
    public const string KnownProxiesKey = "LocalTenant:KnownProxies";

    /// <summary>The configured proxies; empty when the tenant is not behind one.</summary>
    public static IReadOnlyList<IPAddress> KnownProxies(IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        foreach (var entry in configuration.GetSection(KnownProxiesKey).GetChildren().Select(c => c.Value)
                     .Append(configuration[KnownProxiesKey]).Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            foreach (var part in entry!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                proxies.Add(IPAddress.TryParse(part, out var ip)
                    ? ip
                    : throw new InvalidOperationException($"{KnownProxiesKey} must list IP addresses such as 127.0.0.1; got '{part}'."));
            }
        }
        return proxies;
    }

    public static WebApplicationBuilder AddTenantProxy(this WebApplicationBuilder builder)
    {
        var proxies = KnownProxies(builder.Configuration);
        var configured = new TenantUrls(LocalTenantApp.UrlOf(builder.Configuration));
        builder.Services.AddHttpContextAccessor();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
        });
        // Per request: the public address the proxy forwarded, else the configured one (also outside requests: seeding).
        builder.Services.AddScoped(services => proxies.Count > 0
            && services.GetRequiredService<IHttpContextAccessor>().HttpContext is { } http && CameThroughProxy(http.Request)
                ? new TenantUrls(new Uri($"{http.Request.Scheme}://{http.Request.Host}"))
                : configured);
        return builder;
    }

    /// <summary>Before anything reads the request's scheme or host; does nothing without configured proxies.</summary>
    public static WebApplication UseTenantProxy(this WebApplication app)
    {
        if (KnownProxies(app.Configuration).Count > 0) app.UseForwardedHeaders();
        return app;
    }

    /// <summary>The forwarded-headers middleware keeps what it replaced, and replaces only for a known proxy.</summary>
    private static bool CameThroughProxy(HttpRequest request) =>
        request.Headers.ContainsKey("X-Original-Proto") || request.Headers.ContainsKey("X-Original-Host");
}
