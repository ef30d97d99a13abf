using LegacyLinking.LocalTenant.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary><c>/userinfo</c>: the current profile of the access token's user, by the token's scopes.</summary>
public static class UserInfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, TenantDbContext db)
    {
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var sub = principal?.GetClaim(Claims.Subject);
        var user = sub is null ? null : await db.Users.FindAsync(sub);
        if (principal is null || user is null)
            return OidcResults.Challenge(Errors.InvalidToken, "The access token does not belong to a user.");

        var profile = Auth0Profile.For(user, principal.GetScopes().ToHashSet());
        profile.Insert(0, Claims.Subject, user.UserId);
        return Results.Json(profile);
    }
}
