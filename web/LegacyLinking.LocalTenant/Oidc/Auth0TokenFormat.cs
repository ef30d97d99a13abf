using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// Access and ID tokens in Auth0's shape instead of OpenIddict's: header <c>typ: JWT</c> for both (OpenIddict types
/// access tokens <c>at+jwt</c>, Auth0's default token profile does not), and none of OpenIddict's bookkeeping claims
/// (<c>oi_*</c>), nor the RFC 9068 <c>client_id</c>/<c>jti</c> that Auth0 only adds with that profile switched on.
/// Runs just before OpenIddict's own JWT writer, which leaves a token another handler wrote alone. Codes and refresh
/// tokens stay OpenIddict's: clients never look inside them.
/// </summary>
public static class Auth0TokenFormat
{
    public const string TokenType = "JWT";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseInlineHandler(context =>
            {
                if (context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken && string.IsNullOrEmpty(context.Token))
                    context.Token = Write(context);
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    private static string Write(GenerateTokenContext context)
    {
        var principal = context.Principal ?? throw new InvalidOperationException("The token has no principal.");
        var isAccessToken = context.TokenType == TokenTypeIdentifiers.AccessToken;
        var identity = new ClaimsIdentity(
            principal.Claims.Where(claim => IsPublic(claim.Type, isAccessToken)), TokenValidationParameters.DefaultAuthenticationType);

        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        var audiences = principal.GetAudiences();
        if (audiences.Length > 0) claims[Claims.Audience] = audiences.Length == 1 ? audiences[0] : audiences.ToArray();
        if (isAccessToken && principal.GetScopes() is { Length: > 0 } scopes) claims[Claims.Scope] = string.Join(' ', scopes);

        return context.SecurityTokenHandler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = principal.GetClaim(Claims.Private.Issuer),
            IssuedAt = principal.GetCreationDate()?.UtcDateTime,
            Expires = principal.GetExpirationDate()?.UtcDateTime,
            Subject = identity,
            Claims = claims,
            SigningCredentials = context.SigningCredentials,
        });
    }

    /// <summary>
    /// What the wire token carries: OpenIddict's private claims (<c>oi_*</c>: token and authorization ids, presenters,
    /// and the issuer/audience/scope/lifetime it maps to the standard claims itself) never; <c>client_id</c> not in
    /// access tokens (Auth0's profile names the client in <c>azp</c>).
    /// </summary>
    private static bool IsPublic(string type, bool isAccessToken) =>
        !type.StartsWith("oi_", StringComparison.Ordinal)
        && type != TenantClaims.IdentityUsed
        && !(isAccessToken && type is Claims.ClientId or Claims.JwtId);
}
