using LegacyLinking.Web.Hosting;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The app's client-credentials token for the Management API: cached until shortly before it expires and minted
/// once however many callers ask at the same moment (Auth0 rate-limits /oauth/token and bills M2M tokens).
/// </summary>
public sealed class ManagementTokenCache(AuthenticationApiClient authentication, Auth0Tenant tenant, TenantDeadlines deadlines, TimeProvider clock)
{
    // Renew a little early so a token never expires between being read here and reaching the tenant.
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _mint = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _current;

    public int MintCount { get; private set; }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } token) return token;
        // Another page's mint may be the one stalled on the tenant: wait for it no longer than this page may.
        if (!await _mint.WaitAsync(deadlines.Cap(Timeout.InfiniteTimeSpan), cancellationToken))
            throw new TenantUnavailableException("The tenant did not hand out the app's Management API token within this page's time for it.");
        try
        {
            if (Fresh() is { } again) return again;
            var response = await authentication.GetTokenAsync(new ClientCredentialsTokenRequest
            {
                ClientId = tenant.ClientId,
                ClientSecret = tenant.ClientSecret,
                Audience = tenant.Audience,
            }, cancellationToken);
            var lifetime = TimeSpan.FromSeconds(Math.Max(response.ExpiresIn, 0));
            var renewAt = clock.GetUtcNow() + (lifetime > Leeway * 2 ? lifetime - Leeway : lifetime / 2);
            _current = (response.AccessToken, renewAt);
            MintCount++;
            return response.AccessToken;
        }
        finally
        {
            _mint.Release();
        }
    }

    /// <summary>Forget the token (e.g. after the tenant answered 401 for it).</summary>
    public void Invalidate() => _current = null;

    private string? Fresh() => _current is { } current && clock.GetUtcNow() < current.RenewAt ? current.Token : null;
}
