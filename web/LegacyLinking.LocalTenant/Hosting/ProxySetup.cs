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
            && services.GetRequiredService<IHttpContextAccessor>().HttpContext is { } http && CameThroughProxy(http)
                ? new TenantUrls(new Uri($"{http.Request.Scheme}://{http.Request.Host}"))
                : configured);
        return builder;
    }

    /// <summary>
    /// Before anything reads the request's scheme or host. Keeps how the request arrived (<see cref="ArrivedAs"/>), then,
    /// with configured proxies, lets their forwarded headers replace the scheme and host.
    /// </summary>
    public static WebApplication UseTenantProxy(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            http.Features.Set(new TenantArrival(http.Request.Scheme, http.Request.Host));
            return next(http);
        });
        if (KnownProxies(app.Configuration).Count > 0) app.UseForwardedHeaders();
        return app;
    }

    /// <summary>
    /// The scheme and host the tenant itself was sent, before a proxy's forwarded headers replaced them: what the Host
    /// guard judges, since with a proxy on loopback any local page could send forwarded headers of its own.
    /// </summary>
    public static TenantArrival ArrivedAs(HttpContext http) =>
        http.Features.Get<TenantArrival>() ?? new TenantArrival(http.Request.Scheme, http.Request.Host);

    /// <summary>True when a known proxy's forwarded headers gave the request another scheme or host (the public ones).</summary>
    public static bool CameThroughProxy(HttpContext http) =>
        ArrivedAs(http) is var arrival && (arrival.Scheme != http.Request.Scheme || arrival.Host != http.Request.Host);
}

/// <summary>How a request reached the tenant's listener (see <see cref="ProxySetup.ArrivedAs"/>).</summary>
public sealed record TenantArrival(string Scheme, HostString Host);
