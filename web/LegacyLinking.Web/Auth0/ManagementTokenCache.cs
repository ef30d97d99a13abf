using System.Net;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The app's client-credentials token for the Management API: cached until shortly before it expires and minted
/// once however many callers ask at the same moment (Auth0 rate-limits /oauth/token and bills M2M tokens). No page
/// waits for a mint in the usual course: the app mints it as it starts (<see cref="TenantDiscoveryWarmUp"/>), and a
/// token four fifths of the way to its renewal is renewed in the background while it still serves.
/// </summary>
public sealed class ManagementTokenCache(AuthenticationApiClient authentication, Auth0Tenant tenant, TenantDeadlines deadlines, TimeProvider clock)
{
    // Renew a little early so a token never expires between being read here and reaching the tenant.
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _mint = new(1, 1);
    private volatile Cached? _current;
    private int _renewing;

    public int MintCount { get; private set; }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } token)
        {
            RenewAheadWhenDue();
            return token;
        }
        // Another page's mint may be the one stalled on the tenant: wait for it no longer than this page may.
        if (!await _mint.WaitAsync(deadlines.Cap(Timeout.InfiniteTimeSpan), cancellationToken))
            throw new TenantUnavailableException("The tenant did not hand out the app's Management API token within this page's time for it.");
        try
        {
            if (Fresh() is { } again) return again;
            return await MintAsync(cancellationToken);
        }
        finally
        {
            _mint.Release();
        }
    }

    /// <summary>Call with <see cref="_mint"/> held.</summary>
    private async Task<string> MintAsync(CancellationToken cancellationToken)
    {
        var response = await authentication.GetTokenAsync(tenant.ClientCredentials(), cancellationToken);
        var lifetime = TimeSpan.FromSeconds(Math.Max(response.ExpiresIn, 0));
        var now = clock.GetUtcNow();
        var renewAt = now + (lifetime > Leeway * 2 ? lifetime - Leeway : lifetime / 2);
        _current = new Cached(response.AccessToken, renewAt, now + (renewAt - now) * 4 / 5);
        Remember(response.AccessToken);
        MintCount++;
        return response.AccessToken;
    }

    /// <summary>
    /// Past <see cref="Cached.RenewAheadAt"/>, one background mint replaces the token while it still serves, so the
    /// page that would have met its renewal does not wait a round trip to the tenant for it. Outside the page's
    /// deadline and cancellation (it is no page's call); a failed one leaves the token to serve until it must be
    /// renewed, and a page then mints it as before.
    /// </summary>
    private void RenewAheadWhenDue()
    {
        if (_current is not { } current || clock.GetUtcNow() < current.RenewAheadAt || Interlocked.CompareExchange(ref _renewing, 1, 0) != 0)
            return;
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await _mint.WaitAsync();
                    try
                    {
                        if (ReferenceEquals(_current, current)) await MintAsync(CancellationToken.None);
                    }
                    finally
                    {
                        _mint.Release();
                    }
                }
                catch (Exception)
                {
                    // The current token serves until its renewal is due; a page then mints one itself.
                }
                finally
                {
                    Volatile.Write(ref _renewing, 0);
                }
            });
        }
    }

    /// <summary>
    /// The tenant answered 401 to <paramref name="rejected"/> (revoked, expired in flight, or signed with a key it rotated
    /// away): if it is still the cached token, forget it, so the next call mints a fresh one; a token minted meanwhile is
    /// kept. True when <paramref name="rejected"/> is the app's server token (cached now or replaced since), false for a
    /// user's own token.
    /// </summary>
    public bool Invalidate(string rejected)
    {
        if (_current is { } current && current.Token == rejected)
        {
            Interlocked.CompareExchange(ref _current, null, current);
            return true;
        }
        return _minted.Contains(rejected);
    }

    // The last few server tokens handed out: a 401 to one a concurrent mint already replaced is still the server's.
    private volatile string[] _minted = [];

    private void Remember(string token) => _minted = [token, .. _minted.Take(3)];

    private string? Fresh() => _current is { } current && clock.GetUtcNow() < current.RenewAt ? current.Token : null;

    private sealed record Cached(string Token, DateTimeOffset RenewAt, DateTimeOffset RenewAheadAt);
}

/// <summary>
/// Sees every Management API answer: a 401 to the server token makes the cache forget that token, and a read refused
/// that way is sent once more with a fresh one (the user never sees a token that died in flight or with a rotated key).
/// A write is not repeated: the tenant may have acted on it.
/// </summary>
public sealed class ServerTokenRejections(ManagementTokenCache tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // A user's own token (or an ID token) is never the server's, so only the server token is forgotten or renewed.
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Headers.Authorization is not { Parameter: { } bearer }
            || !tokens.Invalidate(bearer) || !IsRead(request))
            return response;

        var fresh = await tokens.GetTokenAsync(cancellationToken);
        if (fresh == bearer) return response;
        response.Dispose();
        var again = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers) again.Headers.TryAddWithoutValidation(header.Key, header.Value);
        foreach (var option in request.Options) ((IDictionary<string, object?>)again.Options)[option.Key] = option.Value;
        again.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fresh);
        return await base.SendAsync(again, cancellationToken);
    }

    private static bool IsRead(HttpRequestMessage request) =>
        request.Content is null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head);
}
