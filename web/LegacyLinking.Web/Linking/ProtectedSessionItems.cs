using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// Small records one browser needs across a redirect or two: kept on the server in that browser's session state,
/// data-protected for their purpose and key, valid for a short time, and removed when taken. A record looked for by
/// another browser, under another key or purpose, a second time or too late reads as nothing.
/// </summary>
public sealed class ProtectedSessionItems(IDataProtectionProvider dataProtection)
{
    public async Task PutAsync<T>(HttpContext http, string purpose, string key, T value, TimeSpan lifetime)
    {
        await http.Session.LoadAsync(http.RequestAborted);
        http.Session.SetString(SessionKey(purpose, key), Protector(purpose, key).Protect(JsonSerializer.Serialize(value), lifetime));
    }

    /// <summary>The record, left in place; null when there is none valid.</summary>
    public Task<T?> PeekAsync<T>(HttpContext http, string purpose, string? key) where T : class => ReadAsync<T>(http, purpose, key, remove: false);

    /// <summary>The record, removed as it is read (whether or not it is still valid); null when there is none valid.</summary>
    public Task<T?> TakeAsync<T>(HttpContext http, string purpose, string? key) where T : class => ReadAsync<T>(http, purpose, key, remove: true);

    private async Task<T?> ReadAsync<T>(HttpContext http, string purpose, string? key, bool remove) where T : class
    {
        if (string.IsNullOrEmpty(key)) return null;
        await http.Session.LoadAsync(http.RequestAborted);
        var sessionKey = SessionKey(purpose, key);
        if (http.Session.GetString(sessionKey) is not { } protectedJson) return null;
        if (remove) http.Session.Remove(sessionKey);
        try
        {
            return JsonSerializer.Deserialize<T>(Protector(purpose, key).Unprotect(protectedJson));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null; // expired, or protected for something else
        }
    }

    private static string SessionKey(string purpose, string key) => purpose + ":" + key;

    private ITimeLimitedDataProtector Protector(string purpose, string key) =>
        dataProtection.CreateProtector(purpose, key).ToTimeLimitedDataProtector();
}
