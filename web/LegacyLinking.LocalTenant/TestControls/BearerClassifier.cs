using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Keys;
using LegacyLinking.LocalTenant.Oidc;
using LegacyLinking.LocalTenant.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// What the call log says about a bearer: its kind and, when it parses, its <c>sub</c>/<c>azp</c>, and the <c>scope</c>
/// of one this tenant signed (what the caller asked for and got); never the token.
/// </summary>
public sealed record BearerInfo(string Kind, string? Source = null, string? Sub = null, string? Azp = null, string? Scope = null)
{
    public static BearerInfo None { get; } = new(BearerKinds.None);
}

public static class BearerKinds
{
    public const string None = "none";
    public const string AccessToken = "access_token";
    public const string IdToken = "id_token";
    public const string ClientCredentials = "client_credentials";

    /// <summary>Not a JWT this tenant signed (malformed, bad signature, foreign issuer, mutated).</summary>
    public const string Invalid = "invalid";
}

/// <summary>
/// Tells the kinds of bearer apart as the tenant issued them: both say <c>typ: JWT</c>, an access token names one of the
/// tenant's APIs as its audience, an ID token its client; Auth0's <c>gty</c> marks client_credentials tokens. Signature and issuer are checked, expiry is not
/// (an expired access token is still an access token; the endpoint's answer shows it was refused).
/// </summary>
public sealed class BearerClassifier(TenantKeyStore keys, TenantUrls urls)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<BearerInfo> ClassifyAsync(string? token, string source)
    {
        if (string.IsNullOrWhiteSpace(token)) return BearerInfo.None;
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return new BearerInfo(BearerKinds.Invalid, source);
        }

        var sub = Claim(jwt, "sub");
        var azp = Claim(jwt, "azp");
        var result = await _handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = urls.Issuer.AbsoluteUri,
            IssuerSigningKey = keys.Keys.Signing,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidTypes = [Auth0TokenFormat.TokenType],
        });
        if (!result.IsValid) return new BearerInfo(BearerKinds.Invalid, source, sub, azp);

        var kind = Claim(jwt, TenantClaims.GrantType) == "client-credentials" ? BearerKinds.ClientCredentials
            : TenantTokenReader.IsAccessTokenAudience(jwt.Audiences, urls) ? BearerKinds.AccessToken
            : BearerKinds.IdToken;
        return new BearerInfo(kind, source, sub, azp ?? (kind == BearerKinds.IdToken ? Claim(jwt, "aud") : null), Claim(jwt, "scope"));
    }

    private static string? Claim(JsonWebToken jwt, string name) =>
        jwt.TryGetPayloadValue<string>(name, out var value) ? value : null;
}
