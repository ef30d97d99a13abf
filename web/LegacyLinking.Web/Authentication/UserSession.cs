using System.Security.Claims;
using LegacyLinking.Web.Linking;
using Microsoft.AspNetCore.Authentication;

namespace LegacyLinking.Web.Authentication;

/// <summary>Reads the signed-in primary and its server-side tokens from the cookie session.</summary>
public static class UserSession
{
    public static async Task<PrimaryUser?> GetPrimaryAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(AuthSchemes.Cookie);
        if (!result.Succeeded || result.Principal.FindFirstValue("sub") is not { } sub) return null;
        return new PrimaryUser(sub, result.Properties.GetTokenValue("access_token"), result.Properties.GetTokenValue("id_token"));
    }
}
