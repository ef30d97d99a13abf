using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace LegacyLinking.Web.Authentication;

/// <summary>The signed-in primary, with the tokens its session holds (never sent to the browser).</summary>
public sealed record PrimaryUser(string UserId, string? AccessToken, string? IdToken, string? RefreshToken = null);

/// <summary>Reads the signed-in primary and its server-side tokens from the cookie session.</summary>
public static class UserSession
{
    public static async Task<PrimaryUser?> GetPrimaryAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(AuthSchemes.Cookie);
        if (!result.Succeeded || result.Principal.FindFirstValue("sub") is not { } sub) return null;
        return PrimaryFrom(sub, result.Properties);
    }

    /// <summary>The primary <paramref name="userId"/> with the tokens kept in the session's <paramref name="properties"/>.</summary>
    public static PrimaryUser PrimaryFrom(string userId, AuthenticationProperties properties) =>
        new(userId, properties.GetTokenValue("access_token"), properties.GetTokenValue("id_token"), properties.GetTokenValue("refresh_token"));

    /// <summary>
    /// Marks the sign-in the app asked to be fresh (<c>prompt=login</c>, <c>max_age=0</c>): the challenge's item travels
    /// into the session it creates, so the app can tell a provider's second answer without <c>auth_time</c> from a first.
    /// </summary>
    public const string FreshSignInItem = "ll.fresh-sign-in";

    /// <summary>Whether this session came from a sign-in the app asked to be fresh.</summary>
    public static async Task<bool> IsFreshSignInAsync(HttpContext context) =>
        (await context.AuthenticateAsync(AuthSchemes.Cookie)).Properties?.Items.ContainsKey(FreshSignInItem) == true;

    /// <summary>Whether the session's ID token said when the user signed in (OIDC requires it after <c>max_age</c>).</summary>
    public static bool ReportsSignInTime(ClaimsPrincipal user) => user.HasClaim(c => c.Type == "auth_time");

    /// <summary>A challenge of the primary handler for a fresh login (<c>prompt=login</c>, <c>max_age=0</c>), back to <paramref name="redirectUri"/>.</summary>
    public static OpenIdConnectChallengeProperties FreshSignInChallenge(string? redirectUri)
    {
        var properties = new OpenIdConnectChallengeProperties { Prompt = "login", MaxAge = TimeSpan.Zero, RedirectUri = redirectUri };
        properties.Items[FreshSignInItem] = "1";
        return properties;
    }

    /// <summary>Whether the session's own sign-in (the ID token's <c>auth_time</c>) is at most <paramref name="window"/> old.</summary>
    public static bool SignedInWithin(ClaimsPrincipal user, TimeSpan window, TimeProvider clock) =>
        long.TryParse(user.FindFirstValue("auth_time"), out var seconds)
        && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) <= window;
}
