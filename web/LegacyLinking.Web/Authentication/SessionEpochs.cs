using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// Per-user "sessions valid after" time (ASVS 5.0 7.4.3): a link or unlink changes who can sign
/// in as the user, so it ends every other session of that user — including one an attacker holds through the identity
/// just unlinked — while the session that made the change carries on. Kept in the app's database
/// (<see cref="SessionCuts"/>), where every instance sees it and it never moves back.
/// </summary>
public sealed class SessionEpochs(SessionCuts cuts, TimeProvider clock)
{
    /// <summary>When the session was signed in, to the tick (the ticket's own IssuedUtc keeps whole seconds only).</summary>
    private const string IssuedItem = "legacylinking.issued";

    /// <summary>The cookie scheme's <c>OnSigningIn</c>: stamps the session with its sign-in time.</summary>
    public void Stamp(CookieSigningInContext context) =>
        context.Properties.Items[IssuedItem] = clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary>After the user's identities changed (or may have): other sessions of the user end, this one is signed in again after the cut.</summary>
    public async Task IdentitiesChangedAsync(HttpContext http, string userId)
    {
        await CutAsync(userId, http.RequestAborted);

        var current = await http.AuthenticateAsync(AuthSchemes.Cookie);
        if (current is { Succeeded: true, Principal: { } principal } && principal.FindFirstValue("sub") == userId)
            await SessionKeyRotation.SignInUnderNewKeyAsync(http, principal, current.Properties); // stamped anew, after the cut
    }

    /// <summary>
    /// After a credential change at <paramref name="at"/> (a password reset) whose cut is already raised: ends this
    /// request's session there and then when it was signed in before the change, and answers whether it did. A session
    /// signed in after it carries on.
    /// </summary>
    public static async Task<bool> EndIfSignedInBeforeAsync(HttpContext http, DateTimeOffset at)
    {
        var current = await http.AuthenticateAsync(AuthSchemes.Cookie);
        if (current is not { Succeeded: true } || !IssuedBefore(current.Properties, at)) return false;
        await http.SignOutAsync(AuthSchemes.Cookie);
        return true;
    }

    /// <summary>
    /// Every session of the user signed in before <paramref name="at"/> ends at its next request. Never moves a later
    /// cut (a link or unlink after a reset) back.
    /// </summary>
    public Task CutAtAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        cuts.RaiseAsync(userId, at.UtcTicks, cancellationToken);

    /// <summary>Whether the session of <paramref name="properties"/> was signed in before <paramref name="at"/>.</summary>
    public static bool IssuedBefore(AuthenticationProperties properties, DateTimeOffset at) => IssuedTicks(properties) < at.UtcTicks;

    /// <summary>
    /// Whether a new sign-in (a validated ID token's <paramref name="principal"/>) comes from a login older than its
    /// user's cut: the tenant's session in some browser outlived the app sessions the cut ended, and would otherwise
    /// sign that browser straight back in, even one that dropped the app's cookies. <c>auth_time</c> has whole seconds,
    /// so a login in the cut's own second counts as after it. Without <c>auth_time</c> only a sign-in the app asked to be
    /// fresh (<paramref name="askedFresh"/>) is taken as after the cut.
    /// </summary>
    public async Task<bool> SignInPredatesCutAsync(ClaimsPrincipal principal, bool askedFresh, CancellationToken cancellationToken)
    {
        if (principal.FindFirstValue("sub") is not { } userId || await ReadCutAsync(userId, cancellationToken) is not { } cut) return false;
        if (!long.TryParse(principal.FindFirstValue("auth_time"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var authTime))
            return !askedFresh;
        return authTime < new DateTimeOffset(cut, TimeSpan.Zero).ToUnixTimeSeconds();
    }

    /// <summary>Every session of the user signed in until now ends at its next request ("sign out everywhere").</summary>
    public Task CutAsync(string userId, CancellationToken cancellationToken) => cuts.RaiseAsync(userId, clock.GetUtcNow().UtcTicks, cancellationToken);

    private Task<long?> ReadCutAsync(string userId, CancellationToken cancellationToken) => cuts.ReadAsync(userId, cancellationToken);

    // Every sign-in is stamped (Stamp); a ticket without the stamp is taken as older than any cut, so it never outlives one.
    private static long IssuedTicks(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(IssuedItem, out var stamp) && long.TryParse(stamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : 0;

    /// <summary>The cookie scheme's <c>OnValidatePrincipal</c>: a session signed in before its user's cut is signed out.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue("sub") is not { } userId) return;
        if (await ReadCutAsync(userId, context.HttpContext.RequestAborted) is not { } cut || IssuedTicks(context.Properties) >= cut) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
        // The tenant's session in this browser outlived the cut: its next sign-in must be a fresh login.
        FreshSignInMarker.Set(context.HttpContext);
    }
}
