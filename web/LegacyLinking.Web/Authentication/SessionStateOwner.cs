using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// Binds the browser's session state (<c>ll_app_state</c>: QA's per-session flag overrides, recent attempts, pending
/// link attempts, kept requests) to the user it was written for. It outlives the sign-in cookie (a session ended
/// elsewhere, expired, or replaced by another account's sign-in), so without this the next account to sign in on the
/// browser would inherit the last one's overrides and attempts.
/// </summary>
public static class SessionStateOwner
{
    private const string OwnerKey = "owner";

    /// <summary>After authentication: state of another user, or of a user no longer signed in, is cleared before anything reads it.</summary>
    public static IApplicationBuilder UseSessionStateOwner(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        await BindAsync(http);
        await next(http);
    });

    private static async Task BindAsync(HttpContext http)
    {
        var user = http.User.FindFirstValue("sub");
        // Signed out without any state: nothing to clear, and no state to load from the store.
        if (user is null && !http.Request.Cookies.ContainsKey(AuthSchemes.SessionStateCookie)) return;
        await http.Session.LoadAsync(http.RequestAborted);
        if (!http.Session.IsAvailable || http.Session.GetString(OwnerKey) == user) return;
        http.Session.Clear();
        if (user is not null) http.Session.SetString(OwnerKey, user);
    }

    /// <summary>
    /// The cookie scheme's <c>OnSigningIn</c>: a sign-in as anyone but the state's owner starts afresh — the state is
    /// cleared and its cookie dropped, so the next request gets a new state id (one planted before the sign-in, or left
    /// by the previous user, is not carried into the new session). The same user signing in again (a fresh sign-in
    /// before a link, after a password reset) keeps the state, which holds the request it resumes.
    /// </summary>
    public static async Task ForgetAnotherUsersStateAsync(CookieSigningInContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Cookies.ContainsKey(AuthSchemes.SessionStateCookie)) return;
        await http.Session.LoadAsync(http.RequestAborted);
        if (http.Session.IsAvailable && http.Session.GetString(OwnerKey) is { } owner && owner == context.Principal?.FindFirstValue("sub")) return;
        if (http.Session.IsAvailable) http.Session.Clear();
        http.Response.Cookies.Delete(AuthSchemes.SessionStateCookie,
            new CookieOptions { Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/" });
    }

    /// <summary>At sign-out: the state ends with the session, under a new id next time.</summary>
    public static void Forget(HttpContext http)
    {
        http.Session.Clear();
        http.Response.Cookies.Delete(AuthSchemes.SessionStateCookie,
            new CookieOptions { Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/" });
    }
}
