using System.Globalization;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.ApiErrors;
using LegacyLinking.LocalTenant.Logs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Auth0's log event type for a request refused by rate limiting.</summary>
    public const string ApiLimitLogType = LogTypes.ApiLimit;

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
        await WriteApiLimitEventAsync(http, decision);
    }

    /// <summary>Auth0 records each refusal as an <c>api_limit</c> tenant log event; method and path only, never a header.</summary>
    private static Task WriteApiLimitEventAsync(HttpContext http, RateLimitDecision decision) =>
        http.RequestServices.GetRequiredService<TenantLog>().WriteAsync(new TenantLogEntry(ApiLimitLogType, "Rate Limit on API Exceeded")
        {
            Details = new JsonObject
            {
                ["request"] = new JsonObject { ["method"] = http.Request.Method, ["path"] = http.Request.Path.Value },
                ["limit"] = decision.Limit,
            },
        }, http.RequestAborted);

    private RateLimitBucket? BucketFor(HttpRequest request)
    {
        if (Auth0ErrorBody.IsManagementApi(request.Path)) return limits.Management;
        if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/oauth/token", StringComparison.OrdinalIgnoreCase))
            return limits.TokenEndpoint;
        return null;
    }
}
