using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using static LegacyLinking.Tests.LocalTenant.RateLimiting.ManagementCalls;

namespace LegacyLinking.Tests.LocalTenant.RateLimiting;

/// <summary>The seed's tenant: no limiting, but every Management API reply reports the (free-profile) bucket.</summary>
public sealed class RateLimitDefaultTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    [Fact]
    public async Task Limiting_is_off_by_default_and_every_Management_reply_still_carries_the_headers()
    {
        using var client = tenant.CreateClient();
        var paths = Enumerable.Repeat($"/api/v2/users/{Uri.EscapeDataString(Seeded.John)}", 8)
            .Append("/api/v2/no-such-route").Append("/api/v2/users?q=x");

        foreach (var path in paths)
        {
            using var response = await GetAsync(client, path, bearer: "not-a-token");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            var headers = RateLimitHeaders.Of(response);
            Assert.Equal(new RateLimitHeaders(2, 2, headers.Reset), headers);
            Assert.InRange(headers.Reset, NowEpoch - 5, NowEpoch + 2); // slack for a busy machine: the reply was made before NowEpoch is read
        }
    }

    [Fact]
    public async Task Pages_and_discovery_carry_no_rate_limit_headers()
    {
        using var client = tenant.CreateClient();
        using var discovery = await client.GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        Assert.False(discovery.Headers.Contains("x-ratelimit-limit"));
    }
}

/// <summary><c>LocalTenant:RateLimit</c> from configuration.</summary>
public sealed class RateLimitConfigurationTests
{
    [Fact]
    public async Task The_free_profile_from_configuration_answers_429_with_Retry_After_and_Auth0s_body_after_the_burst()
    {
        await using var tenant = await LocalTenantFixture.StartAsync(
            [new("LocalTenant:RateLimit:Enabled", "true"), new("LocalTenant:RateLimit:Profile", "free")]);
        using var client = tenant.CreateClient();

        // Ten at once: the bucket holds two and refills at 2/s, far slower than the burst arrives.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => GetAsync(client, "/api/v2/users/x")));
        var refills = (int)Math.Ceiling(watch.Elapsed.TotalSeconds * 2);
        try
        {
            Assert.All(responses, r => Assert.Equal(2, RateLimitHeaders.Of(r).Limit));
            var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.InRange(responses.Length - limited.Count, 1, 2 + refills);
            Assert.NotEmpty(limited);
            foreach (var response in limited) await AssertTooManyRequestsAsync(response);
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }

    [Fact]
    public async Task Explicit_numbers_override_the_profile()
    {
        await using var tenant = await LocalTenantFixture.StartAsync(
        [
            new("LocalTenant:RateLimit:Enabled", "true"), new("LocalTenant:RateLimit:BurstSize", "5"),
            new("LocalTenant:RateLimit:TokensPerSecond", "0.1"),
        ]);
        using var client = tenant.CreateClient();

        using var first = await GetAsync(client, "/api/v2/users/x");
        using var second = await GetAsync(client, "/api/v2/users/x");

        Assert.Equal((5, 4), (RateLimitHeaders.Of(first).Limit, RateLimitHeaders.Of(first).Remaining));
        Assert.Equal(3, RateLimitHeaders.Of(second).Remaining);
        // One token every 10 s: the next one is at most 10 s away.
        Assert.InRange(RateLimitHeaders.Of(second).Reset, NowEpoch, NowEpoch + 11);
    }

    [Theory]
    [InlineData("Profile", "gold")]
    [InlineData("BurstSize", "0")]
    [InlineData("TokensPerSecond", "fast")]
    public async Task A_bad_rate_limit_setting_stops_the_start(string key, string value)
    {
        var tenant = new UnstartableTenant([new("LocalTenant:RateLimit:" + key, value)]);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tenant.InitializeAsync());
            Assert.Contains("LocalTenant:RateLimit", error.Message);
        }
        finally
        {
            await tenant.DisposeAsync();
        }
    }

    private sealed class UnstartableTenant(IEnumerable<KeyValuePair<string, string?>> settings) : LocalTenantFixture(settings);
}

/// <summary>Rate limiting switched per test through <c>/test/rate-limit</c>.</summary>
public sealed class RateLimitControlTests(TestControlsTenantFixture tenant) : TestControlsTestBase(tenant)
{

    [Fact]
    public async Task Remaining_counts_down_through_the_burst_then_429()
    {
        await Tenant.Controls.SetRateLimitAsync(new { enabled = true, burstSize = 3, tokensPerSecond = 0.2 });

        var remaining = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await GetAsync(Client, "/api/v2/users/x");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, ok.StatusCode);
            remaining.Add(RateLimitHeaders.Of(ok).Remaining);
        }
        using var limited = await GetAsync(Client, "/api/v2/users/x");

        Assert.Equal([2, 1, 0], remaining);
        await AssertTooManyRequestsAsync(limited);
        var reset = RateLimitHeaders.Of(limited).Reset;
        Assert.InRange(reset, NowEpoch, NowEpoch + 6);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 6);

        // Auth0 records the refusal as an api_limit log event.
        await Tenant.Controls.SetRateLimitAsync(new { enabled = false });
        var logs = await new TenantApi(Client, new Uri(Tenant.Url))
            .GetAsync("logs?q=type:api_limit", await new TenantBearers(Tenant).ClientCredentialsAsync("read:logs"));
        var entry = logs.IsSuccess().Json.EnumerateArray().First();
        Assert.Equal("/api/v2/users/x", entry.GetProperty("details").GetProperty("request").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Tokens_are_back_at_the_reset_time()
    {
        await Tenant.Controls.SetRateLimitAsync(new { burstSize = 1, tokensPerSecond = 2 });
        using var first = await GetAsync(Client, "/api/v2/users/x");
        using var limited = await GetAsync(Client, "/api/v2/users/x");
        await AssertTooManyRequestsAsync(limited);

        var reset = DateTimeOffset.FromUnixTimeSeconds(RateLimitHeaders.Of(limited).Reset);
        var wait = reset - DateTimeOffset.UtcNow;
        Assert.InRange(wait.TotalSeconds, -1, 2);
        if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        using var again = await GetAsync(Client, "/api/v2/users/x");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    [Fact]
    public async Task Switching_off_at_run_time_stops_the_429s_and_reset_restores_the_configuration()
    {
        await Tenant.Controls.SetRateLimitAsync(new { profile = "free", burstSize = 1, tokensPerSecond = 0.1 });
        using (var first = await GetAsync(Client, "/api/v2/users/x")) Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        using (var second = await GetAsync(Client, "/api/v2/users/x")) await AssertTooManyRequestsAsync(second);

        var off = await Tenant.Controls.SetRateLimitAsync(new { enabled = false, profile = "free" });
        Assert.False(off.GetProperty("enabled").GetBoolean());
        using (var third = await GetAsync(Client, "/api/v2/users/x")) Assert.NotEqual(HttpStatusCode.TooManyRequests, third.StatusCode);

        await Tenant.Controls.SetRateLimitAsync(new { burstSize = 1, tokensPerSecond = 0.1 });
        await Tenant.Controls.ResetAsync();
        var policy = JsonDocument.Parse(await Client.GetStringAsync("/test/rate-limit", TestContext.Current.CancellationToken)).RootElement;
        Assert.False(policy.GetProperty("enabled").GetBoolean());
        Assert.Equal("free", policy.GetProperty("profile").GetString());
        Assert.Equal(2, policy.GetProperty("burstSize").GetInt32());
    }

    [Fact]
    public async Task The_token_endpoint_has_its_own_bucket_with_the_Authentication_API_error()
    {
        await Tenant.Controls.SetRateLimitAsync(new { burstSize = 1, tokensPerSecond = 0.1 }, tokenEndpoint: true);

        using var first = await ClientCredentialsAsync();
        using var second = await ClientCredentialsAsync();
        using var management = await GetAsync(Client, "/api/v2/users/x");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((1, 0), (RateLimitHeaders.Of(first).Limit, RateLimitHeaders.Of(first).Remaining));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter?.Delta);
        var error = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("too_many_requests", error.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error_description").GetString()));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, management.StatusCode);
    }

    [Theory]
    [InlineData("""{"profile":"gold"}""")]
    [InlineData("""{"burstSize":0}""")]
    [InlineData("""{"tokensPerSecond":-1}""")]
    [InlineData("""{"burstSize":"many"}""")]
    [InlineData("""[1]""")]
    public async Task A_bad_policy_is_a_400_and_changes_nothing(string body)
    {
        using var response = await Client.PostAsync("/test/rate-limit",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(400, error.GetProperty("statusCode").GetInt32());
        using var api = await GetAsync(Client, "/api/v2/users/x");
        Assert.Equal(2, RateLimitHeaders.Of(api).Remaining);
    }

    private Task<HttpResponseMessage> ClientCredentialsAsync() => Client.PostAsync("/oauth/token", new FormUrlEncodedContent(
        new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = LocalTenantFixture.ClientId,
            ["client_secret"] = LocalTenantFixture.ClientSecret,
            ["audience"] = Tenant.ManagementAudience,
        }), TestContext.Current.CancellationToken);
}
