using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace LegacyLinking.Web.Auth0;

/// <summary>Limits for the calls to the tenant (<c>Auth0:Http</c>).</summary>
public sealed class Auth0HttpOptions
{
    public const string Section = "Auth0:Http";

    [Range(1, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>A 429 asking to wait longer than this is not retried; the caller gets RateLimitApiException.</summary>
    [Range(0.1, 300.0)]
    public double MaxRetryDelaySeconds { get; set; } = 10;

    [Range(0.1, 600.0)]
    public double AttemptTimeoutSeconds { get; set; } = 10;

    [Range(0.1, 3_600.0)]
    public double TotalTimeoutSeconds { get; set; } = 45;
}

/// <summary>
/// When a call may be tried again: a 429 (the tenant did not act on it, so even a write is safe to repeat) within the
/// retry budget, or a transient failure of a read. A write that failed any other way is never repeated: it may
/// have happened.
/// </summary>
public static class RateLimitRetry
{
    public static HttpRetryStrategyOptions Create(Auth0HttpOptions options, TimeProvider clock) => new()
    {
        MaxRetryAttempts = options.MaxRetryAttempts,
        UseJitter = false,
        BackoffType = DelayBackoffType.Exponential,
        Delay = TimeSpan.FromMilliseconds(250),
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, clock)),
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response ? WaitFor(response, clock) : null),
    };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, Auth0HttpOptions options, TimeProvider clock)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
            return (WaitFor(limited, clock) ?? TimeSpan.Zero) <= TimeSpan.FromSeconds(options.MaxRetryDelaySeconds);
        var isRead = context.GetRequestMessage()?.Method == HttpMethod.Get;
        return isRead && HttpClientResiliencePredicates.IsTransient(outcome);
    }

    /// <summary>Retry-After (seconds or a date) first, then x-ratelimit-reset (epoch seconds), as go-auth0 does.</summary>
    public static TimeSpan? WaitFor(HttpResponseMessage response, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (retryAfter.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        }
        if (response.Headers.TryGetValues("x-ratelimit-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            var reset = DateTimeOffset.FromUnixTimeSeconds(epoch);
            return reset > now ? reset - now : TimeSpan.Zero;
        }
        return null;
    }
}
