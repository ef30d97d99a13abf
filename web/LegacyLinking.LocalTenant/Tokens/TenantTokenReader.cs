using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Tokens;

/// <summary>
/// Reads the JWTs this tenant issued when they come back as bearers or parameters (Management API, <c>link_with</c>,
/// legacy <c>/unlink</c> and <c>/authorize?access_token=</c>): RS256 only, this tenant's key, issuer and lifetime.
/// Audience is left to the caller, which needs to tell an access token from an ID token to answer as Auth0 does.
/// </summary>
public sealed class TenantTokenReader(TenantKeyStore keys, TenantUrls urls, IOpenIddictApplicationManager applications)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<TenantTokenResult> ReadAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || !Handler.CanReadToken(token))
            return TenantTokenResult.Fail(TokenProblem.Malformed);

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = urls.Issuer.AbsoluteUri,
            IssuerSigningKey = keys.Keys.Signing,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateAudience = false,
            // Tokens are minted on this machine by this process: no clock skew to allow for.
            ClockSkew = TimeSpan.Zero,
            RequireExpirationTime = true,
        });
        if (!result.IsValid) return TenantTokenResult.Fail(ProblemOf(result.Exception));

        var jwt = (JsonWebToken)result.SecurityToken;
        var audiences = jwt.Audiences.ToList();
        var subject = jwt.Subject;
        if (string.IsNullOrEmpty(subject)) return TenantTokenResult.Fail(TokenProblem.Malformed);

        // Both kinds say typ: JWT, as Auth0's do: an access token is one issued for an API of this tenant.
        if (IsAccessTokenAudience(audiences, urls))
        {
            var scopes = jwt.TryGetPayloadValue<string>(Claims.Scope, out var scope)
                ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
                : [];
            jwt.TryGetPayloadValue<string>(Claims.AuthorizedParty, out var azp);
            return TenantTokenResult.Ok(new TenantToken(TenantTokenKind.AccessToken, subject, azp, audiences, scopes));
        }

        // An ID token names exactly one client of this tenant as its audience.
        if (audiences is [var clientId] && await applications.FindByClientIdAsync(clientId) is not null)
            return TenantTokenResult.Ok(new TenantToken(TenantTokenKind.IdToken, subject, clientId, audiences, new HashSet<string>()));

        return TenantTokenResult.Ok(new TenantToken(TenantTokenKind.Other, subject, null, audiences, new HashSet<string>()));
    }

    /// <summary>An access token names one of the tenant's APIs (the Management API, /userinfo) as its audience.</summary>
    public static bool IsAccessTokenAudience(IEnumerable<string> audiences, TenantUrls urls) =>
        audiences.Any(a => a == urls.ManagementAudience || a == urls.UserInfoAudience);

    private static TokenProblem ProblemOf(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => TokenProblem.Expired,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => TokenProblem.BadSignature,
        SecurityTokenInvalidAlgorithmException => TokenProblem.BadAlgorithm,
        SecurityTokenInvalidIssuerException => TokenProblem.BadIssuer,
        SecurityTokenNotYetValidException => TokenProblem.NotYetValid,
        _ => TokenProblem.Malformed,
    };
}

public enum TenantTokenKind
{
    AccessToken,
    IdToken,

    /// <summary>Signed by this tenant but neither: e.g. an ID token whose audience is not a client.</summary>
    Other,
}

public enum TokenProblem
{
    None,
    Malformed,
    BadSignature,
    BadAlgorithm,
    BadIssuer,
    Expired,
    NotYetValid,
}

/// <summary>What a valid token of this tenant says. <see cref="ClientId"/> is the access token's <c>azp</c> or the ID token's <c>aud</c>.</summary>
public sealed record TenantToken(
    TenantTokenKind Kind, string Subject, string? ClientId, IReadOnlyList<string> Audiences, IReadOnlySet<string> Scopes)
{
    /// <summary>Client-credentials tokens have <c>{client_id}@clients</c> as their subject, never a user.</summary>
    public bool IsForUser => !Subject.EndsWith("@clients", StringComparison.Ordinal);
}

public sealed record TenantTokenResult(TenantToken? Token, TokenProblem Problem)
{
    public static TenantTokenResult Ok(TenantToken token) => new(token, TokenProblem.None);
    public static TenantTokenResult Fail(TokenProblem problem) => new(null, problem);
}
