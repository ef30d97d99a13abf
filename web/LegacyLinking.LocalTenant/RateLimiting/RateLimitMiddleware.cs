using System.Globalization;
using LegacyLinking.LocalTenant.ApiErrors;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.RateLimiting;

/// <summary>
/// Auth0's rate limiting in front of the Management API (and <c>/oauth/token</c>): every reply carries
/// <c>x-ratelimit-limit</c>, <c>x-ratelimit-remaining</c> and <c>x-ratelimit-reset</c>; an empty bucket answers 429 with
/// <c>Retry-After</c> and Auth0's body before the request reaches authentication or the endpoint (Auth0 counts every call).
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, TenantRateLimits limits, TimeProvider clock)
{
    public const string LimitHeader = "x-ratelimit-limit";
    public const string RemainingHeader = "x-ratelimit-remaining";
    public const string ResetHeader = "x-ratelimit-reset";

    public async Task InvokeAsync(HttpContext http)
    {
        var bucket = BucketFor(http.Request);
        if (bucket is null)
        {
            await next(http);
            return;
        }

        var decision = bucket.Take(clock.GetUtcNow());
        // On starting, so the headers survive anything downstream that clears the response (error handlers).
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers[LimitHeader] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            headers[RemainingHeader] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            headers[ResetHeader] = decision.ResetEpochSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        if (decision.Allowed)
        {
            await next(http);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await http.Response.WriteAsJsonAsync(Auth0ErrorBody.TooManyRequests(http.Request.Path));
    }

    private RateLimitBucket? BucketFor(HttpRequest request)
    {
        if (Auth0ErrorBody.IsManagementApi(request.Path)) return limits.Management;
        if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/oauth/token", StringComparison.OrdinalIgnoreCase))
            return limits.TokenEndpoint;
        return null;
    }
}
