using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using LegacyLinking.Web.Data;
using Microsoft.Extensions.Caching.Distributed;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// Keeps the whole authentication ticket (claims and the saved ID/access/refresh tokens) on the server; the browser's
/// cookie only carries an opaque key. Tokens therefore never reach the browser, not even encrypted.
/// </summary>
/// <remarks>
/// With the sessions in the database every request would read its ticket there; on PostgreSQL the ticket (still
/// protected) is served from <see cref="NotifiedCache"/> instead, and a renewal or removal notifies every instance.
/// The notification names a hash of the key, not the key.
/// </remarks>
public sealed class DistributedTicketStore(IDistributedCache cache, IDataProtectionProvider dataProtection, NotifiedCache memory, DatabaseNotifications notifications)
    : ITicketStore
{
    private const string KeyPrefix = "ticket:";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LegacyLinking.TicketStore.v1");

    /// <summary>Only the database store is worth a copy in memory (and only it is shared with other instances).</summary>
    private readonly bool _shared = cache is DatabaseCache;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await WriteAsync(key, ticket); // a new key: no instance holds a copy to drop
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await WriteAsync(key, ticket);
        await ChangedAsync(key);
    }

    private Task WriteAsync(string key, AuthenticationTicket ticket)
    {
        var options = new DistributedCacheEntryOptions();
        if (ticket.Properties.ExpiresUtc is { } expires) options.AbsoluteExpiration = expires;
        else options.SlidingExpiration = TimeSpan.FromHours(8);
        var bytes = _protector.Protect(TicketSerializer.Default.Serialize(ticket));
        return cache.SetAsync(KeyPrefix + key, bytes, options);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = _shared
            ? await memory.GetOrReadAsync(MemoryKey(key), ct => cache.GetAsync(KeyPrefix + key, ct), CancellationToken.None)
            : await cache.GetAsync(KeyPrefix + key);
        if (bytes is null) return null;
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(bytes));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // keys rotated or another app's entry: treat as signed out
        }
    }

    public async Task RemoveAsync(string key)
    {
        await cache.RemoveAsync(KeyPrefix + key);
        await ChangedAsync(key);
    }

    /// <summary>
    /// This instance drops its copy at once; the others when the notification reaches them. A notification that
    /// cannot be sent (the database went away after the write) leaves their copies to expire within
    /// <see cref="NotifiedCache.Lifetime"/>.
    /// </summary>
    private async Task ChangedAsync(string key)
    {
        if (!_shared) return;
        var name = MemoryKey(key);
        memory.Forget(name);
        await notifications.PublishAsync(name);
    }

    private static string MemoryKey(string key) =>
        "ticket:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(key)), 0, 16);
}

/// <summary>Attaches the store to the cookie scheme through DI, so the store can use other services.</summary>
public sealed class TicketStoreCookieOptions(ITicketStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == AuthSchemes.Cookie) options.SessionStore = store;
    }
}
