using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// How long access tokens live (<c>LocalTenant:AccessTokenLifetimeSeconds</c>): Auth0's per-API "Token Expiration",
/// 86400 s unless the API says otherwise, at most 2592000 s (30 days). The tenant serves one API, the Management
/// API, so one setting covers user and client-credentials tokens alike. Tests shorten it to watch tokens expire.
/// </summary>
public static class AccessTokenLifetime
{
    public const string SettingKey = "LocalTenant:AccessTokenLifetimeSeconds";
    public const int DefaultSeconds = 86_400;
    public const int MaxSeconds = 2_592_000;

    public static TimeSpan From(IConfiguration configuration)
    {
        var raw = configuration[SettingKey];
        if (string.IsNullOrWhiteSpace(raw)) return TimeSpan.FromSeconds(DefaultSeconds);
        if (!int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > MaxSeconds)
            throw new InvalidOperationException($"{SettingKey} must be a whole number of seconds from 1 to {MaxSeconds}; got '{raw}'.");
        return TimeSpan.FromSeconds(seconds);
    }
}
