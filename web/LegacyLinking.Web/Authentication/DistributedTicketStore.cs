using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// Keeps the whole authentication ticket (claims and the saved ID/access/refresh tokens) on the server; the browser's
/// cookie only carries an opaque key. Tokens therefore never reach the browser, not even encrypted.
/// </summary>
public sealed class DistributedTicketStore(IDistributedCache cache, IDataProtectionProvider dataProtection) : ITicketStore
{
    private const string KeyPrefix = "ticket:";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LegacyLinking.TicketStore.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var options = new DistributedCacheEntryOptions();
        if (ticket.Properties.ExpiresUtc is { } expires) options.AbsoluteExpiration = expires;
        else options.SlidingExpiration = TimeSpan.FromHours(8);
        var bytes = _protector.Protect(TicketSerializer.Default.Serialize(ticket));
        return cache.SetAsync(KeyPrefix + key, bytes, options);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await cache.GetAsync(KeyPrefix + key);
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

    public Task RemoveAsync(string key) => cache.RemoveAsync(KeyPrefix + key);
}

/// <summary>Attaches the store to the cookie scheme through DI, so the store can use other services.</summary>
public sealed class TicketStoreCookieOptions(ITicketStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == AuthSchemes.Cookie) options.SessionStore = store;
    }
}
