using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The tenant this app talks to, resolved once from <see cref="Auth0Options"/>: a real Auth0 domain or the
/// embedded local tenant. Everything that needs a URL, issuer or client credential reads it from here.
/// </summary>
public sealed class Auth0Tenant
{
    // The local tenant's seeded web client (web/LegacyLinking.LocalTenant/localtenant.json); dev-only values.
    public const string LocalClientId = "legacylinking-web";
    public const string LocalClientSecret = "dev-only-web-secret";

    public Auth0Tenant(IOptions<Auth0Options> auth0, IOptions<LocalTenantOptions> localTenant)
    {
        var options = auth0.Value;
        IsLocal = string.IsNullOrWhiteSpace(options.Domain);
        Authority = IsLocal
            ? TenantAddress.ParseLocalTenantUrl(localTenant.Value.Url)
            : TenantAddress.ParseDomain(options.Domain!);
        ClientId = IsLocal && string.IsNullOrWhiteSpace(options.ClientId) ? LocalClientId : options.ClientId!;
        ClientSecret = IsLocal && string.IsNullOrWhiteSpace(options.ClientSecret) ? LocalClientSecret : options.ClientSecret!;
        Audience = string.IsNullOrWhiteSpace(options.Audience) ? $"{AuthorityText}/api/v2/" : options.Audience!;
    }

    public bool IsLocal { get; }

    /// <summary>
    /// Auth0 itself: <c>Auth0:Domain</c> is set and not on a loopback address (a local tenant run beside the app, as
    /// the tests and a developer do, is on loopback; Auth0 never is). Flows only the local tenant still serves can
    /// only fail here.
    /// </summary>
    public bool IsAuth0 => !IsLocal && !TenantAddress.IsLoopback(Authority);

    /// <summary>Scheme, host and port only, e.g. <c>https://tenant.eu.auth0.com</c>.</summary>
    public Uri Authority { get; }

    public string AuthorityText => Authority.GetLeftPart(UriPartial.Authority);

    /// <summary>Auth0 issues tokens with the trailing slash.</summary>
    public string Issuer => AuthorityText + "/";

    public string ClientId { get; }
    public string ClientSecret { get; }
    public string Audience { get; }

    /// <summary>The app's own grant for the Management API (the server token).</summary>
    public ClientCredentialsTokenRequest ClientCredentials() =>
        new() { ClientId = ClientId, ClientSecret = ClientSecret, Audience = Audience };

    /// <summary>A refresh of a session's tokens by this app's client; <paramref name="scope"/> narrows the new access token.</summary>
    public RefreshTokenRequest Refresh(string refreshToken, string? scope = null) =>
        new() { ClientId = ClientId, ClientSecret = ClientSecret, RefreshToken = refreshToken, Scope = scope };
}
