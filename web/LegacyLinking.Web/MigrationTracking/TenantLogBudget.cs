using LegacyLinking.Web.Auth0;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// How much of the tenant's Management API rate limit the background log reader may spend, so it never pushes user
/// requests into 429s: at most <c>Migration:DepnoteMaxCallsPerMinute</c> calls, spread out (a burst of at most one
/// second's worth), and no call that would take the tenant's bucket below half of <c>x-ratelimit-limit</c> as the
/// reader last saw it — then it waits for <c>x-ratelimit-reset</c>.
/// </summary>
public sealed class TenantLogBudget(int callsPerMinute, TimeProvider clock)
{
    public const int DefaultCallsPerMinute = 10;

    private readonly Lock _lock = new();
    private readonly double _capacity = Math.Max(1, callsPerMinute / 60);
    private readonly TimeSpan _refill = TimeSpan.FromMinutes(1) / callsPerMinute;
    private double _tokens = Math.Max(1, callsPerMinute / 60);
    private DateTimeOffset _refilledAt = clock.GetUtcNow();
    private RateLimit? _tenant;

    public int CallsPerMinute { get; } = callsPerMinute;

    /// <summary>Takes one call if both the reader's share and the tenant's headroom allow it now.</summary>
    public bool TryTake()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (TenantReserveUntil(now) is not null) return false;
            Refill(now);
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }

    /// <summary>How long until <see cref="TryTake"/> may succeed.</summary>
    public TimeSpan UntilNext()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            Refill(now);
            var share = _tokens >= 1 ? TimeSpan.Zero : _refill * (1 - _tokens);
            var tenant = TenantReserveUntil(now) is { } until ? until - now : TimeSpan.Zero;
            return share > tenant ? share : tenant;
        }
    }

    /// <summary>Records the rate-limit headers of the reader's last answer (a 429's included).</summary>
    public void Observe(RateLimit limit)
    {
        lock (_lock) _tenant = limit.Limit > 0 ? limit : _tenant;
    }

    /// <summary>When the tenant's bucket was last seen too low for another call, until its next refill.</summary>
    private DateTimeOffset? TenantReserveUntil(DateTimeOffset now)
    {
        if (_tenant is not { } seen || seen.Reset is not { } reset || reset <= now) return null;
        // Another call would leave fewer than half of the bucket's tokens for the users.
        return (seen.Remaining - 1) * 2 < seen.Limit ? reset : null;
    }

    private void Refill(DateTimeOffset now)
    {
        var elapsed = now - _refilledAt;
        if (elapsed <= TimeSpan.Zero) return;
        _tokens = Math.Min(_capacity, _tokens + elapsed / _refill);
        _refilledAt = now;
    }
}
