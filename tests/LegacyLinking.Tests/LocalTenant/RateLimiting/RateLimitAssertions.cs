using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace LegacyLinking.Tests.LocalTenant.RateLimiting;

/// <summary>Auth0's rate-limit headers as a test reads them.</summary>
public sealed record RateLimitHeaders(int Limit, int Remaining, long Reset)
{
    public static RateLimitHeaders Of(HttpResponseMessage response)
    {
        Assert.True(response.Headers.Contains("x-ratelimit-limit"), $"{response.RequestMessage?.RequestUri} has no x-ratelimit-limit");
        return new RateLimitHeaders(
            int.Parse(Single(response, "x-ratelimit-limit"), CultureInfo.InvariantCulture),
            int.Parse(Single(response, "x-ratelimit-remaining"), CultureInfo.InvariantCulture),
            long.Parse(Single(response, "x-ratelimit-reset"), CultureInfo.InvariantCulture));
    }

    private static string Single(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}

/// <summary>Management API calls for the rate-limit and test-control tests.</summary>
public static class ManagementCalls
{
    public const string TooManyRequestsBody =
        """{"statusCode":429,"error":"Too Many Requests","message":"Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.","errorCode":"too_many_requests"}""";

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        return response;
    }

    /// <summary>Asserts the 429 exactly as Auth0 sends it: status, Retry-After in seconds, empty bucket, Auth0's body.</summary>
    public static async Task AssertTooManyRequestsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 }, $"Retry-After in seconds, got {response.Headers.RetryAfter}");
        Assert.Equal(0, RateLimitHeaders.Of(response).Remaining);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TooManyRequestsBody), JsonNode.Parse(body)), body);
    }

    public static long NowEpoch => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
