using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;

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
    /// it; the first state a signed-in user writes carries their name. A request without a state cookie has no state:
    /// it costs no read of the session store (a database read with <c>Sessions:Store=Database</c>) and, unless the page
    /// writes state, no write either. ASP.NET Core's session would read the store for a brand-new id as soon as
    /// anything asks it, and touch it again at the end of every request, so such a request's session answers "empty"
    /// itself until its first write.
    /// </summary>
    public static IApplicationBuilder UseSessionStateOwner(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var user = http.User.FindFirstValue("sub");
        var fresh = !http.Request.Cookies.ContainsKey(AppCookies.SessionState);
        if (!fresh) await BindAsync(http, user);
        if ((fresh || user is not null) && http.Features.Get<ISessionFeature>() is { Session: { } session } feature)
            feature.Session = new OwnedSession(session, user, fresh);
        await next(http);
    });

    private static async Task BindAsync(HttpContext http, string? user)
    {
        await http.Session.LoadAsync(http.RequestAborted);
        if (!http.Session.IsAvailable || http.Session.GetString(OwnerKey) == user) return;
        http.Session.Clear();
    }

    /// <summary>
    /// The request's session: while <paramref name="fresh"/> (no state cookie came) and nothing is written, it is empty
    /// without asking the store; its first write by a signed-in <paramref name="user"/> also names them as the owner.
    /// </summary>
    private sealed class OwnedSession(ISession inner, string? user, bool fresh) : ISession
    {
        private bool _written;
        private bool _owned;
        private bool Untouched => fresh && !_written;

        public bool IsAvailable => Untouched || inner.IsAvailable;
        public string Id => inner.Id;
        public IEnumerable<string> Keys => Untouched ? [] : inner.Keys;
        public Task LoadAsync(CancellationToken cancellationToken = default) => Untouched ? Task.CompletedTask : inner.LoadAsync(cancellationToken);
        public Task CommitAsync(CancellationToken cancellationToken = default) => Untouched ? Task.CompletedTask : inner.CommitAsync(cancellationToken);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? value)
        {
            value = null;
            return !Untouched && inner.TryGetValue(key, out value);
        }

        public void Set(string key, byte[] value)
        {
            inner.Set(key, value);
            _written = true;
            if (_owned || user is null || key == OwnerKey) return;
            _owned = true;
            if (inner.GetString(OwnerKey) is null) inner.SetString(OwnerKey, user);
        }

        public void Remove(string key)
        {
            if (Untouched) return;
            inner.Remove(key);
            if (key == OwnerKey) _owned = false;
        }

        public void Clear()
        {
            if (Untouched) return;
            inner.Clear();
            _owned = false;
        }
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
        if (!http.Request.Cookies.ContainsKey(AppCookies.SessionState)) return;
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
        http.Response.Cookies.Delete(AppCookies.SessionState,
            new CookieOptions { Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/" });
}
