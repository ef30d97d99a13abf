using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// Where the tenant lives: <c>LocalTenant:Url</c> gives its issuer and API identifiers (<see cref="TenantUrls"/>) and the
/// port it listens on, on the loopback interface only, so a dev tenant is never reachable from outside.
/// </summary>
public static class AddressSetup
{
    public static WebApplicationBuilder AddTenantAddress(this WebApplicationBuilder builder)
    {
        var url = LocalTenantApp.UrlOf(builder.Configuration);
        if (url.AbsolutePath != "/")
            throw new InvalidOperationException($"LocalTenant:Url must not have a path (Auth0 domains have none); got '{url}'.");
        if (!url.IsLoopback)
            throw new InvalidOperationException($"LocalTenant:Url must be a loopback address such as http://127.0.0.1:5081; got '{url}'.");

        // https: the development certificate kept beside the tenant's data (docs/local-tenant.md, "HTTPS").
        var certificate = url.Scheme == Uri.UriSchemeHttps
            ? DevelopmentCertificate.LoadOrCreate(TenantSettings.From(builder.Configuration).ResolveDataPath(), url.DnsSafeHost)
            : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var address = IPAddress.TryParse(url.DnsSafeHost, out var ip) ? ip : IPAddress.Loopback;
            kestrel.Listen(address, url.Port, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        // Explicit listeners win; this only silences the "overriding URLs" warning when ASPNETCORE_URLS is set.
        builder.WebHost.UseSetting(WebHostDefaults.PreferHostingUrlsKey, "false");
        return builder;
    }
}
