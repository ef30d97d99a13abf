using System.Security.Cryptography;
using LegacyLinking.LocalTenant.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// Mints JWTs the tenant would not issue itself (expired, for another audience, signed by another key, HS256,
/// unsigned) with the tenant's real signing key, for the negative cases of token validation.
/// <code>
/// var forge = new TokenForge(tenant);
/// var expired = forge.AccessToken(Seeded.John, "read:current_user", expires: DateTime.UtcNow.AddMinutes(-5));
/// var foreign = forge.AccessToken(Seeded.John, "read:users", key: TokenForge.ForeignKey());
/// </code>
/// </summary>
public sealed class TokenForge(LocalTenantFixture tenant)
{
    public const string AccessTokenType = "JWT";
    public const string IdTokenType = "JWT";

    public SecurityKey TenantKey => tenant.Host.Services.GetRequiredService<TenantKeyStore>().Keys.Signing;

    /// <summary>An access token as the tenant shapes them (<c>typ: JWT</c>, aud /api/v2/, scope, azp).</summary>
    public string AccessToken(string sub, string scope, DateTime? expires = null, SecurityKey? key = null, string? issuer = null,
        string[]? audiences = null, string azp = LocalTenantFixture.ClientId) =>
        Mint(AccessTokenType, sub, audiences ?? [tenant.ManagementAudience], expires, key, issuer,
            new Dictionary<string, object> { ["scope"] = scope, ["azp"] = azp });

    /// <summary>An ID token as the tenant shapes them (<c>typ: JWT</c>, aud = the client id).</summary>
    public string IdToken(string sub, string audience = LocalTenantFixture.ClientId, DateTime? expires = null,
        SecurityKey? key = null, string? issuer = null) =>
        Mint(IdTokenType, sub, [audience], expires, key, issuer, new Dictionary<string, object>());

    /// <summary>The same header and claims with <c>alg: none</c> and no signature.</summary>
    public string Unsigned(string sub, string scope) =>
        new JsonWebTokenHandler().CreateToken(Descriptor(AccessTokenType, sub, [tenant.ManagementAudience], null, null, null,
            new Dictionary<string, object> { ["scope"] = scope, ["azp"] = LocalTenantFixture.ClientId }));

    /// <summary>An RSA key the tenant does not know, carrying the tenant key's <c>kid</c> so only the signature differs.</summary>
    public SecurityKey ForeignKey() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = TenantKey.KeyId };

    public static SecurityKey SymmetricKey() => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "hs256" };

    private string Mint(string type, string sub, string[] audiences, DateTime? expires, SecurityKey? key, string? issuer,
        Dictionary<string, object> claims)
    {
        var signingKey = key ?? TenantKey;
        var algorithm = signingKey is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256;
        var descriptor = Descriptor(type, sub, audiences, expires, issuer, new SigningCredentials(signingKey, algorithm), claims);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private SecurityTokenDescriptor Descriptor(string type, string sub, string[] audiences, DateTime? expires, string? issuer,
        SigningCredentials? credentials, Dictionary<string, object> claims)
    {
        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        claims["sub"] = sub;
        if (audiences.Length > 1) claims["aud"] = audiences;
        return new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer ?? tenant.Issuer,
            Audience = audiences.Length == 1 ? audiences[0] : null,
            IssuedAt = expiry.AddHours(-2),
            NotBefore = expiry.AddHours(-2),
            Expires = expiry,
            Claims = claims,
            SigningCredentials = credentials,
        };
    }
}
