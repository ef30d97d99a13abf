using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// <c>/userinfo</c>: the current profile of the access token's user, by the token's scopes. The tenant reads the
/// bearer itself (OpenIddict would insist on its own <c>at+jwt</c> token type, which the tenant no longer issues):
/// an access token of this tenant whose audience includes <c>{issuer}userinfo</c>, as Auth0 requires.
/// </summary>
public static class UserInfoEndpoint
{
    public const string Path = "/userinfo";

    public static async Task<IResult> HandleAsync(HttpContext http, TenantTokenReader tokens, TenantUrls urls, TenantDbContext db)
    {
        var bearer = BearerOf(http.Request);
        if (bearer is null) return Challenge(http, null, null);
        var token = (await tokens.ReadAsync(bearer)).Token;
        if (token is not { Kind: TenantTokenKind.AccessToken } || !token.Audiences.Contains(urls.UserInfoAudience))
            return Challenge(http, Errors.InvalidToken, "The access token is not valid for /userinfo.");
        var user = await db.Users.FindAsync([token.Subject], http.RequestAborted);
        if (user is null) return Challenge(http, Errors.InvalidToken, "The access token does not belong to a user.");

        var profile = Auth0Profile.For(user, token.Scopes);
        profile.Insert(0, Claims.Subject, user.UserId);
        return Results.Json(profile);
    }

    /// <summary>The bearer from the Authorization header, or (RFC 6750 §2.2) the <c>access_token</c> of a POSTed form.</summary>
    private static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7) return header[7..].Trim();
        return request.HasFormContentType && request.Form["access_token"].ToString() is { Length: > 0 } form ? form : null;
    }

    /// <summary>RFC 6750's 401: <c>WWW-Authenticate: Bearer</c>, with the error when a token was sent.</summary>
    private static IResult Challenge(HttpContext http, string? error, string? description)
    {
        http.Response.Headers[HeaderNames.WWWAuthenticate] = error is null
            ? "Bearer realm=\"userinfo\""
            : $"Bearer realm=\"userinfo\", error=\"{error}\", error_description=\"{description}\"";
        return Results.Unauthorized();
    }
}
