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

    /// <summary>No page waits longer than this on the tenant, all its calls, retries and timeouts together.</summary>
    [Range(0.5, 300.0)]
    public double PageDeadlineSeconds { get; set; } = 10;

    /// <summary>How long calls fail at once after the tenant kept failing, before one call probes it again.</summary>
    [Range(0.5, 3_600.0)]
    public double CircuitBreakSeconds { get; set; } = 15;
}

/// <summary>
/// When a call may be tried again: a 429 (the tenant did not act on it, so even a write is safe to repeat) within the
/// retry budget, or a transient failure of a read. A write that failed any other way is never repeated: it may
/// have happened.
/// </summary>
public static class RateLimitRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>A retry is only worth starting with at least this much of the page's time left after its wait.</summary>
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromSeconds(1);

    /// <param name="remaining">What is left of the current page's time for the tenant; null outside a page.</param>
    public static HttpRetryStrategyOptions Create(Auth0HttpOptions options, TimeProvider clock, Func<TimeSpan?> remaining) => new()
    {
        MaxRetryAttempts = options.MaxRetryAttempts,
        UseJitter = false,
        BackoffType = DelayBackoffType.Exponential,
        Delay = FirstDelay,
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, args.AttemptNumber, options, clock, remaining())),
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response ? WaitFor(response, clock) : null),
    };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int attempt, Auth0HttpOptions options, TimeProvider clock, TimeSpan? remaining)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
        {
            var wait = WaitFor(limited, clock) ?? TimeSpan.Zero;
            return wait <= TimeSpan.FromSeconds(options.MaxRetryDelaySeconds) && Fits(wait, remaining);
        }
        var isRead = context.GetRequestMessage()?.Method == HttpMethod.Get;
        return isRead && HttpClientResiliencePredicates.IsTransient(outcome) && Fits(FirstDelay * Math.Pow(2, attempt), remaining);
    }

    private static bool Fits(TimeSpan wait, TimeSpan? remaining) => remaining is not { } left || left >= wait + MinimumAttempt;

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
