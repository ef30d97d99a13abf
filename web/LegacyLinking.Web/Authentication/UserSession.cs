using System.Security.Claims;
using LegacyLinking.Web.Linking;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace LegacyLinking.Web.Authentication;

/// <summary>Reads the signed-in primary and its server-side tokens from the cookie session.</summary>
public static class UserSession
{
    public static async Task<PrimaryUser?> GetPrimaryAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(AuthSchemes.Cookie);
        if (!result.Succeeded || result.Principal.FindFirstValue("sub") is not { } sub) return null;
        return new PrimaryUser(sub, result.Properties.GetTokenValue("access_token"), result.Properties.GetTokenValue("id_token"),
            result.Properties.GetTokenValue("refresh_token"));
    }

    /// <summary>A challenge of the primary handler for a fresh login (<c>prompt=login</c>, <c>max_age=0</c>), back to <paramref name="redirectUri"/>.</summary>
    public static OpenIdConnectChallengeProperties FreshSignInChallenge(string? redirectUri) =>
        new() { Prompt = "login", MaxAge = TimeSpan.Zero, RedirectUri = redirectUri };

    /// <summary>Whether the session's own sign-in (the ID token's <c>auth_time</c>) is at most <paramref name="window"/> old.</summary>
    public static bool SignedInWithin(ClaimsPrincipal user, TimeSpan window, TimeProvider clock) =>
        long.TryParse(user.FindFirstValue("auth_time"), out var seconds)
        && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) <= window;
}
