using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// A sign-in through the tenant, and a link or unlink, gets a new session key (ASVS 5.0 7.2.4). The cookie handler, given a request that still
/// carries a session cookie, stores the new ticket under that cookie's key: a key planted in the browser before the
/// sign-in (session fixation: its planter's cookie would then open the new session), or the browser's own earlier
/// session (still valid after a fresh sign-in). So before the sign-in, the earlier ticket is removed from the store and
/// the earlier cookie hidden from the handler, which then stores the new session under a new key.
/// </summary>
public static class SessionKeyRotation
{
    /// <summary>The claim under which the cookie handler keeps a ticket store key in the cookie.</summary>
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    /// <summary>The primary handler's <c>OnTicketReceived</c>, just before it signs in to the cookie scheme.</summary>
    public static async Task ForgetPreviousSessionAsync(HttpContext http)
    {
        if (http.Request.Cookies[AppCookies.Session] is not { } previous) return;
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AuthSchemes.Cookie);
        if (options.SessionStore is { } store && options.TicketDataFormat.Unprotect(previous)?.Principal?.FindFirst(SessionIdClaim)?.Value is { } key)
            await store.RemoveAsync(key, http, http.RequestAborted);
        HideSessionCookie(http);
    }

    /// <summary>
    /// Signs this request's session in again under a new key, the old key's ticket removed: after a link or unlink, a
    /// copy of the cookie taken before the change opens nothing. This request's cookie handler already read the old key
    /// and would renew the ticket under it, so it signs out (removing the old ticket, and keeping it from refreshing the
    /// old cookie as the response starts) and a second handler, which sees no session cookie, signs in.
    /// </summary>
    public static async Task SignInUnderNewKeyAsync(HttpContext http, ClaimsPrincipal principal, AuthenticationProperties properties)
    {
        await http.SignOutAsync(AuthSchemes.Cookie);
        HideSessionCookie(http);
        var scheme = await http.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(AuthSchemes.Cookie)
            ?? throw new InvalidOperationException($"The {AuthSchemes.Cookie} scheme is not registered.");
        var handler = ActivatorUtilities.CreateInstance<CookieAuthenticationHandler>(http.RequestServices);
        await handler.InitializeAsync(scheme, http);
        await handler.SignInAsync(principal, properties);
    }

    private static void HideSessionCookie(HttpContext http) =>
        // The raw header, filtered: values stay exactly as the browser sent them.
        http.Request.Headers.Cookie = string.Join("; ", http.Request.Headers.Cookie.ToString().Split(';')
            .Select(pair => pair.Trim())
            .Where(pair => pair.Length > 0 && pair.Split('=', 2)[0] != AppCookies.Session));
}
