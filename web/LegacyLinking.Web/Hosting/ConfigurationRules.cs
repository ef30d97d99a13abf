using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

/// <summary>
/// What a bad setting says, and the parsers of the settings that are more than a type and a range: every start check
/// (<see cref="SettingsValidator{T}"/> and the sections' own validators) words its failures here.
/// </summary>
public static partial class ConfigurationRules
{
    public static Uri ParseDomain(string domain)
    {
        var raw = domain.Trim();
        if (raw.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(raw.TrimEnd('/'), UriKind.Absolute, out var url)
                || url.Scheme is not ("http" or "https")
                || url.AbsolutePath != "/" || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.UserInfo))
                throw InvalidSetting("Auth0:Domain", raw, "a host name such as tenant.eu.auth0.com or a URL http(s)://host[:port] without a path");
            return new Uri(url.GetLeftPart(UriPartial.Authority));
        }
        if (!HostName().IsMatch(raw))
            throw InvalidSetting("Auth0:Domain", raw, "a host name such as tenant.eu.auth0.com or a URL http(s)://host[:port] without a path");
        return new Uri($"https://{raw.ToLowerInvariant()}");
    }

    public static Uri ParseLocalTenantUrl(string? value)
    {
        var raw = string.IsNullOrWhiteSpace(value) ? LocalTenantOptions.DefaultUrl : value.Trim();
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.AbsolutePath != "/" || !IsLoopback(url))
            throw InvalidSetting("LocalTenant:Url", raw, "an http(s) URL on a loopback address, e.g. http://127.0.0.1:5081");
        return new Uri(url.GetLeftPart(UriPartial.Authority));
    }

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The one line a bad setting stops the start with: the key, the value and what is expected.</summary>
    public static string Invalid(string key, string value, string expected) =>
        $"Configuration '{key}' is invalid: got '{value}', expected {expected}.";

    /// <summary>The one line a missing setting stops the start with.</summary>
    public static string Missing(string key, string expected) => $"Configuration '{key}' is missing: expected {expected}.";

    private static InvalidOperationException InvalidSetting(string key, string value, string expected) => new(Invalid(key, value, expected));

    [GeneratedRegex(@"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$")]
    private static partial Regex HostName();
}

/// <summary>Runs at start (ValidateOnStart) so a bad Auth0 section never reaches the first request.</summary>
public sealed class Auth0OptionsValidator(IOptions<LocalTenantOptions> localTenant) : IValidateOptions<Auth0Options>
{
    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        var failures = new List<string>();
        try
        {
            if (string.IsNullOrWhiteSpace(options.Domain))
                ConfigurationRules.ParseLocalTenantUrl(localTenant.Value.Url);
            else
            {
                ConfigurationRules.ParseDomain(options.Domain);
                if (string.IsNullOrWhiteSpace(options.ClientId))
                    failures.Add("Configuration 'Auth0:ClientId' is required when 'Auth0:Domain' is set.");
                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                    failures.Add("Configuration 'Auth0:ClientSecret' is required when 'Auth0:Domain' is set (the app uses the code flow and a client-credentials token).");
            }
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }
        if (!string.IsNullOrWhiteSpace(options.Audience)
            && !(Uri.TryCreate(options.Audience, UriKind.Absolute, out var audience) && audience.Scheme is "http" or "https"))
            failures.Add($"Configuration 'Auth0:Audience' is invalid: got '{options.Audience}', expected an absolute URL such as https://tenant.eu.auth0.com/api/v2/.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
