using System.Net;
using LegacyLinking.Web.Hosting;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The app's client-credentials token for the Management API: cached until shortly before it expires and minted
/// once however many callers ask at the same moment (Auth0 rate-limits /oauth/token and bills M2M tokens).
/// </summary>
public sealed class ManagementTokenCache(AuthenticationApiClient authentication, Auth0Tenant tenant, TimeProvider clock)
{
    // Renew a little early so a token never expires between being read here and reaching the tenant.
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _mint = new(1, 1);
    private volatile Cached? _current;

    public int MintCount { get; private set; }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } token) return token;
        await _mint.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again) return again;
            var response = await authentication.GetTokenAsync(tenant.ClientCredentials(), cancellationToken);
            var lifetime = TimeSpan.FromSeconds(Math.Max(response.ExpiresIn, 0));
            var renewAt = clock.GetUtcNow() + (lifetime > Leeway * 2 ? lifetime - Leeway : lifetime / 2);
            _current = new Cached(response.AccessToken, renewAt);
            MintCount++;
            return response.AccessToken;
        }
        finally
        {
            _mint.Release();
        }
    }

    /// <summary>
    /// The tenant answered 401 to <paramref name="rejected"/> (revoked, or signed with a key it rotated away): if it is
    /// still the cached token, forget it, so the next call mints a fresh one. The call that was refused is not repeated
    /// (a write may not be); a token minted meanwhile is kept.
    /// </summary>
    public void Invalidate(string rejected)
    {
        if (_current is { } current && current.Token == rejected) Interlocked.CompareExchange(ref _current, null, current);
    }

    private string? Fresh() => _current is { } current && clock.GetUtcNow() < current.RenewAt ? current.Token : null;

    private sealed record Cached(string Token, DateTimeOffset RenewAt);
}

/// <summary>Sees every Management API answer: a 401 to the cached server token makes the cache forget that token.</summary>
public sealed class ServerTokenRejections(ManagementTokenCache tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // A user's own token (or an ID token) is never the cached one, so only the server token is ever forgotten.
        if (response.StatusCode == HttpStatusCode.Unauthorized && request.Headers.Authorization is { Parameter: { } bearer })
            tokens.Invalidate(bearer);
        return response;
    }
}
