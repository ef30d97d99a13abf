using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// Remembers, in the browser whose session the app ended (sign out everywhere, a link or unlink elsewhere, a password
/// reset), that its next sign-in must be a fresh login. The session cookie is gone by then, and the tenant's own
/// session in that browser is still valid: a plain challenge would sign it straight back in. The marker holds no
/// identity (its value is "1"), so it tells nobody who was signed in; it is dropped at the next sign-in.
/// </summary>
public static class FreshSignInMarker
{
    /// <summary>As long as a session could go on without a request (the cookie slides for 8 h).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void Set(HttpContext http)
    {
        http.Response.Cookies.Append(AppCookies.FreshSignIn, "1", Options(http, Lifetime));
        http.Items[SetNow] = true; // the request that ended the session may itself challenge
    }

    private static readonly object SetNow = new();

    private static bool IsSet(HttpContext http) =>
        http.Items.ContainsKey(SetNow) || http.Request.Cookies.ContainsKey(AppCookies.FreshSignIn);

    public static void Clear(HttpContext http)
    {
        if (http.Request.Cookies.ContainsKey(AppCookies.FreshSignIn))
            http.Response.Cookies.Delete(AppCookies.FreshSignIn, Options(http, null));
    }

    /// <summary>
    /// The primary handler's <c>OnRedirectToIdentityProvider</c>: a browser whose session was ended asks the tenant for
    /// a fresh login (<c>prompt=login</c>, <c>max_age=0</c>), marked as one the app asked to be fresh.
    /// </summary>
    public static void Apply(RedirectContext context)
    {
        if (!IsSet(context.HttpContext)) return;
        context.ProtocolMessage.Prompt = "login";
        context.ProtocolMessage.MaxAge = "0";
        context.Properties.Items[UserSession.FreshSignInItem] = "1";
    }

    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/",
        MaxAge = maxAge,
        IsEssential = true,
    };
}
