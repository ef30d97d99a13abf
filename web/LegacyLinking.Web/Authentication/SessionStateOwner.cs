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

    /// <summary>
    /// After authentication: state of another user, or of a user no longer signed in, is cleared before anything reads
    /// it; state first written by a signed-in request is marked as theirs. A request without a state cookie has no state
    /// to check, so it costs no read of the session store (a database read with <c>Sessions:Store=Database</c>) and,
    /// unless the page writes state, no write either.
    /// </summary>
    public static IApplicationBuilder UseSessionStateOwner(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Cookies.ContainsKey(AuthSchemes.SessionStateCookie)) await BindAsync(http);
        await next(http);
        // Before the session middleware commits: the first state this user writes carries their name.
        MarkOwner(http);
    });

    private static async Task BindAsync(HttpContext http)
    {
        await http.Session.LoadAsync(http.RequestAborted);
        if (!http.Session.IsAvailable || http.Session.GetString(OwnerKey) == http.User.FindFirstValue("sub")) return;
        http.Session.Clear();
    }

    private static void MarkOwner(HttpContext http)
    {
        if (http.User.FindFirstValue("sub") is not { } user || !http.Session.IsAvailable || !http.Session.Keys.Any()) return;
        if (http.Session.GetString(OwnerKey) is null) http.Session.SetString(OwnerKey, user);
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
        DropCookie(http);
    }

    /// <summary>At sign-out: the state ends with the session, under a new id next time.</summary>
    public static void Forget(HttpContext http)
    {
        http.Session.Clear();
        DropCookie(http);
    }

    /// <summary>With the path the session middleware set it on, or the browser keeps it.</summary>
    private static void DropCookie(HttpContext http) =>
        http.Response.Cookies.Delete(AuthSchemes.SessionStateCookie,
            new CookieOptions { Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/" });
}
