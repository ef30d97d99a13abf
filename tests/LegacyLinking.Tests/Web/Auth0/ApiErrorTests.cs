using System.Net;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Time.Testing;

namespace LegacyLinking.Tests.Web.Auth0;

public sealed class ApiErrorTests
{
    [Fact]
    public void Reads_the_management_shape()
    {
        var error = ApiError.Parse("""{"statusCode":403,"error":"Forbidden","message":"User to be acted on does not match subject in bearer token.","errorCode":"unowned_resource"}""");
        Assert.Equal("Forbidden", error.Error);
        Assert.Equal("unowned_resource", error.ErrorCode);
        Assert.Equal("User to be acted on does not match subject in bearer token.", error.Message);
        Assert.Equal("403", error.ExtraData["statusCode"]);
    }

    [Fact]
    public void Reads_the_authentication_shape()
    {
        var error = ApiError.Parse("""{"error":"invalid_grant","error_description":"Invalid authorization code"}""");
        Assert.Equal("invalid_grant", error.Error);
        Assert.Equal("Invalid authorization code", error.Message);
    }

    [Theory]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("[1,2]")]
    public void Non_object_bodies_become_the_message(string body)
    {
        var error = ApiError.Parse(body);
        Assert.Equal(body, error.Message);
        Assert.Equal(body, error.Error);
    }

    [Fact]
    public void Retry_after_seconds_win_over_the_reset_header()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "3");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset", "1800000010");
        Assert.Equal(TimeSpan.FromSeconds(3), RateLimitRetry.WaitFor(response, clock));
    }

    [Fact]
    public void Reset_epoch_is_used_without_retry_after()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset", "1800000002");
        response.Headers.TryAddWithoutValidation("x-ratelimit-limit", "2");
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining", "0");
        Assert.Equal(TimeSpan.FromSeconds(2), RateLimitRetry.WaitFor(response, clock));
        var limit = RateLimit.Parse(response.Headers);
        Assert.Equal(2, limit.Limit);
        Assert.Equal(0, limit.Remaining);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_002), limit.Reset);
    }

    [Fact]
    public void Numeric_identity_user_ids_read_as_text()
    {
        var identity = System.Text.Json.JsonSerializer.Deserialize<Identity>("""{"provider":"github","user_id":1234567,"connection":"github","isSocial":true}""")!;
        Assert.Equal("1234567", identity.UserId);
    }
}
