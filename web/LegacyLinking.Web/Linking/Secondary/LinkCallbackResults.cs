using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace LegacyLinking.Web.Linking.Secondary;

/// <summary>
/// What the secondary's login came back with, as the link callback validated it: the verified login, or — when the
/// tenant refused the login or the callback failed the checks — the failed outcome to record.
/// </summary>
/// <param name="SignedIn">Whether the primary's session was still signed in when the callback arrived.</param>
public sealed record LinkCallbackResult(LinkAttempt Attempt, SecondaryLogin? Login, LinkingOutcome? Failure, bool SignedIn);

/// <summary>
/// Carries a <see cref="LinkCallbackResult"/> from the link callback to the profile page, which finishes the link.
/// It stays on the server, in this browser's session, data-protected for its attempt alone and for
/// <see cref="Lifetime"/>, and is read once: a result taken by another browser, for another attempt, a second time or
/// too late reads as nothing.
/// </summary>
public sealed class LinkCallbackResults(IDataProtectionProvider dataProtection)
{
    /// <summary>The callback redirects at once; this only has to outlast that redirect (and a slow network).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const string KeyPrefix = "link-callback:";

    public async Task StashAsync(HttpContext http, LinkCallbackResult result)
    {
        await http.Session.LoadAsync(http.RequestAborted);
        var json = JsonSerializer.Serialize(result);
        http.Session.SetString(KeyPrefix + result.Attempt.Id, Protector(result.Attempt.Id).Protect(json, Lifetime));
    }

    /// <summary>The result stashed for <paramref name="attemptId"/> in this session, removed as it is read; null when none is valid.</summary>
    public async Task<LinkCallbackResult?> TakeAsync(HttpContext http, string? attemptId)
    {
        if (string.IsNullOrEmpty(attemptId)) return null;
        await http.Session.LoadAsync(http.RequestAborted);
        var key = KeyPrefix + attemptId;
        if (http.Session.GetString(key) is not { } protectedJson) return null;
        http.Session.Remove(key);
        try
        {
            var result = JsonSerializer.Deserialize<LinkCallbackResult>(Protector(attemptId).Unprotect(protectedJson));
            return result?.Attempt.Id == attemptId ? result : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null; // expired, or protected for something else
        }
    }

    private ITimeLimitedDataProtector Protector(string attemptId) =>
        dataProtection.CreateProtector("LegacyLinking.LinkCallbackResult.v1", attemptId).ToTimeLimitedDataProtector();
}
