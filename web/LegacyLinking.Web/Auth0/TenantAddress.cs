using System.Net;
using System.Text.RegularExpressions;
using LegacyLinking.Web.Hosting;

namespace LegacyLinking.Web.Auth0;

/// <summary>Where the tenant is: <c>Auth0:Domain</c> or the local tenant's URL, parsed and checked once.</summary>
public static partial class TenantAddress
{
    public static Uri ParseDomain(string domain)
    {
        var raw = domain.Trim();
        if (raw.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(raw.TrimEnd('/'), UriKind.Absolute, out var url)
                || url.Scheme is not ("http" or "https")
                || url.AbsolutePath != "/" || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.UserInfo))
                throw ConfigurationRules.InvalidSetting("Auth0:Domain", raw, "a host name such as tenant.eu.auth0.com or a URL http(s)://host[:port] without a path");
            return new Uri(url.GetLeftPart(UriPartial.Authority));
        }
        if (!HostName().IsMatch(raw))
            throw ConfigurationRules.InvalidSetting("Auth0:Domain", raw, "a host name such as tenant.eu.auth0.com or a URL http(s)://host[:port] without a path");
        return new Uri($"https://{raw.ToLowerInvariant()}");
    }

    public static Uri ParseLocalTenantUrl(string? value)
    {
        var raw = string.IsNullOrWhiteSpace(value) ? LocalTenantOptions.DefaultUrl : value.Trim();
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.AbsolutePath != "/" || !IsLoopback(url))
            throw ConfigurationRules.InvalidSetting("LocalTenant:Url", raw, "an http(s) URL on a loopback address, e.g. http://127.0.0.1:5081");
        return new Uri(url.GetLeftPart(UriPartial.Authority));
    }

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    [GeneratedRegex(@"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$")]
    private static partial Regex HostName();
}
