using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Auth0;

/// <summary>The typed clients against the tenant's real rate limiter and injected faults.</summary>
public sealed class ResilienceTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private UsersClient Users => stack.App.Services.CreateScope().ServiceProvider.GetRequiredService<ManagementApiClient>().Users;

    public async ValueTask InitializeAsync()
    {
        await Users.GetAsync(Seeded.John, cancellationToken: Ct); // mint the server token before the call log starts
        await stack.Controls.ResetAsync();
    }

    public async ValueTask DisposeAsync() => await stack.Controls.ResetAsync();

    [Fact]
    public async Task A_429_is_retried_after_Retry_After()
    {
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 429, retryAfter = 1, count = 1 });
        var clock = Stopwatch.StartNew();

        var user = await Users.GetAsync(Seeded.John, cancellationToken: Ct);

        Assert.Equal(Seeded.John, user.UserId);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before Retry-After");
        Assert.Equal(2, (await stack.CallsAsync("/api/v2/users", "GET")).Length);
    }

    [Fact]
    public async Task The_free_tier_bucket_is_waited_out_not_failed()
    {
        await stack.Controls.SetRateLimitAsync(new { enabled = true, profile = "free" });
        var users = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Users.GetAsync(Seeded.John, cancellationToken: Ct)));
        Assert.All(users, u => Assert.Equal(Seeded.John, u.UserId));
        var calls = await stack.CallsAsync("/api/v2/users", "GET");
        Assert.Contains(calls, c => c.GetProperty("status").GetInt32() == 429);
    }

    [Fact]
    public async Task A_429_beyond_the_retry_budget_raises_RateLimitApiException()
    {
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 429, retryAfter = 60, count = 5 });
        var error = await Assert.ThrowsAsync<RateLimitApiException>(() => Users.GetAsync(Seeded.John, cancellationToken: Ct));
        Assert.Equal(60, error.RateLimit.RetryAfter);
        Assert.Equal("too_many_requests", error.ApiError.ErrorCode);
        Assert.Single(await stack.CallsAsync("/api/v2/users", "GET"));
    }

    [Fact]
    public async Task A_failed_write_is_never_repeated()
    {
        await stack.Controls.AddFaultAsync(new { route = "DELETE /api/v2/users/**", status = 503, count = 1 });
        var error = await Assert.ThrowsAsync<ErrorApiException>(() => Users.UnlinkAccountAsync(Seeded.John, "sms", "560ebaeef609ee1adaa7c551", Ct));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Single(await stack.CallsAsync("/api/v2/users", "DELETE"));
    }

    [Fact]
    public async Task A_failed_read_is_retried()
    {
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 503, count = 1 });
        Assert.Equal(Seeded.John, (await Users.GetAsync(Seeded.John, cancellationToken: Ct)).UserId);
        Assert.Equal(2, (await stack.CallsAsync("/api/v2/users", "GET")).Length);
    }

    [Fact]
    public async Task The_call_log_never_holds_a_token()
    {
        await Users.GetAsync(Seeded.John, cancellationToken: Ct);
        var calls = await stack.Controls.CallsAsync();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.False(Jwt.AppearsIn(c.ToString())));
        Assert.Contains(calls, c => c.ToString().Contains("client_credentials"));
    }
}
