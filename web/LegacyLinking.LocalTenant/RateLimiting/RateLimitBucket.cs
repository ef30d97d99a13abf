using System.Threading.RateLimiting;

namespace LegacyLinking.LocalTenant.RateLimiting;

/// <summary>What one request got from a bucket, with the numbers Auth0 reports in its <c>x-ratelimit-*</c> headers.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetEpochSeconds, int RetryAfterSeconds);

/// <summary>
/// One token bucket (<see cref="TokenBucketRateLimiter"/>) whose numbers can change at run time. Replenishment is lazy
/// and continuous (the limiter adds <c>rate × elapsed</c> on each <c>TryReplenish</c>), so no timer runs while idle.
/// </summary>
public sealed class RateLimitBucket(RateLimitPolicy policy) : IDisposable
{
    private readonly Lock _gate = new();
    private RateLimitPolicy _policy = policy;
    private TokenBucketRateLimiter _limiter = Create(policy);

    public RateLimitPolicy Policy
    {
        get { lock (_gate) return _policy; }
    }

    /// <summary>Switches to <paramref name="policy"/> with a full bucket.</summary>
    public void Apply(RateLimitPolicy policy)
    {
        lock (_gate)
        {
            _limiter.Dispose();
            _policy = policy;
            _limiter = Create(policy);
        }
    }

    /// <summary>Takes one token (when enabled) and reports the bucket as Auth0 does.</summary>
    public RateLimitDecision Take(DateTimeOffset now)
    {
        lock (_gate)
        {
            // Tokens arrive continuously, so one more whole token is there at the latest one interval from now;
            // that bound is what x-ratelimit-reset promises (rounded up to whole epoch seconds, as Auth0 sends it).
            var nextToken = now + _policy.TokenInterval;
            var reset = (long)Math.Ceiling(nextToken.ToUnixTimeMilliseconds() / 1000.0);
            if (!_policy.Enabled)
                return new RateLimitDecision(true, _policy.BurstSize, _policy.BurstSize, reset, 0);

            _limiter.TryReplenish();
            using var lease = _limiter.AttemptAcquire();
            var remaining = (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
            var retryAfter = (int)Math.Max(1, Math.Ceiling(reset - now.ToUnixTimeMilliseconds() / 1000.0));
            return new RateLimitDecision(lease.IsAcquired, _policy.BurstSize, remaining, reset, lease.IsAcquired ? 0 : retryAfter);
        }
    }

    public void Dispose()
    {
        lock (_gate) _limiter.Dispose();
    }

    private static TokenBucketRateLimiter Create(RateLimitPolicy policy) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = policy.BurstSize,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = policy.TokenInterval,
        // Replenished by Take, so the bucket is exact at the moment of each request and nothing ticks in the background.
        AutoReplenishment = false,
        // Auth0 rejects at once; it never queues a request.
        QueueLimit = 0,
    });
}
