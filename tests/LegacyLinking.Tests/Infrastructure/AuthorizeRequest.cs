using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>An Auth0-style <c>/authorize</c> URL with PKCE (S256), state and nonce, as the app would send.</summary>
public sealed record AuthorizeRequest
{
    public required string Tenant { get; init; }
    public string ClientId { get; init; } = LocalTenantFixture.ClientId;
    public string RedirectUri { get; init; } = LocalTenantFixture.RedirectUri;
    public string Scope { get; init; } = "openid profile email";
    public string? State { get; init; } = Random();
    public string? Nonce { get; init; } = Random();
    public string? CodeVerifier { get; init; } = Random() + Random();
    public string? ResponseMode { get; init; }
    public string? Audience { get; init; }
    public string? Connection { get; init; }
    public string? Prompt { get; init; }
    public int? MaxAge { get; init; }
    public string? LoginHint { get; init; }
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public string? CodeChallenge => CodeVerifier is null
        ? null
        : Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    public Uri ToUri()
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["scope"] = Scope,
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = CodeChallenge,
            ["code_challenge_method"] = CodeChallenge is null ? null : "S256",
            ["response_mode"] = ResponseMode,
            ["audience"] = Audience,
            ["connection"] = Connection,
            ["prompt"] = Prompt,
            ["max_age"] = MaxAge?.ToString(),
            ["login_hint"] = LoginHint,
        };
        foreach (var (key, value) in Extra) query[key] = value;
        var present = query.Where(p => p.Value is not null);
        return new Uri(QueryHelpers.AddQueryString(Tenant.TrimEnd('/') + "/authorize", present));
    }

    public static string Random() => Base64Url(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
