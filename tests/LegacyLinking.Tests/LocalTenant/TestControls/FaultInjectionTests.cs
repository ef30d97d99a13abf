using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.LocalTenant.RateLimiting;
using static LegacyLinking.Tests.LocalTenant.RateLimiting.ManagementCalls;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary><c>POST /test/faults</c>: status, latency and count for a route pattern, with Auth0-shaped error bodies.</summary>
public sealed class FaultInjectionTests(TestControlsTenantFixture tenant) : TestControlsTestBase(tenant)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_status_fault_answers_once_with_the_Management_error_shape_and_the_rate_limit_headers()
    {
        var fault = await Tenant.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 503 });
        Assert.Equal(1, fault.GetProperty("count").GetInt32());

        using var faulted = await GetAsync(Client, "/api/v2/users/" + Uri.EscapeDataString(Seeded.John));
        using var after = await GetAsync(Client, "/api/v2/users/" + Uri.EscapeDataString(Seeded.John));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        var body = await JsonAsync(faulted);
        Assert.Equal(503, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("Service Unavailable", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal(2, RateLimitHeaders.Of(faulted).Limit);
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, after.StatusCode);
    }

    [Fact]
    public async Task A_fault_is_used_up_after_count_matching_requests()
    {
        await Tenant.Controls.AddFaultAsync(new { route = "POST /api/v2/users/*/identities", status = 500, count = 2 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Client.PostAsJsonAsync("/api/v2/users/auth0%7C1/identities", new { link_with = "x" }, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError], statuses.Take(2));
        Assert.NotEqual(HttpStatusCode.InternalServerError, statuses[2]);
        Assert.Empty((await Client.GetFromJsonAsync<JsonElement>("/test/faults", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task A_latency_only_fault_delays_the_request_which_then_goes_on_as_usual()
    {
        using var before = await GetAsync(Client, "/api/v2/users/x");
        await Tenant.Controls.AddFaultAsync(new { route = "/api/v2/users/*", latencyMs = 800 });

        var watch = Stopwatch.StartNew();
        using var delayed = await GetAsync(Client, "/api/v2/users/x");
        var elapsed = watch.Elapsed;

        Assert.True(elapsed >= TimeSpan.FromMilliseconds(780), $"took {elapsed}");
        Assert.Equal(before.StatusCode, delayed.StatusCode);
        Assert.Empty((await Client.GetFromJsonAsync<JsonElement>("/test/faults", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task Latency_and_status_together_on_the_token_endpoint_use_the_Authentication_API_error()
    {
        await Tenant.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 503, latencyMs = 300 });
        await Tenant.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 429, retryAfter = 3 });
        var tokens = Tenant.CreateTokenClient(Client);

        var watch = Stopwatch.StartNew();
        var unavailable = await tokens.ClientCredentialsAsync(Tenant.ManagementAudience);
        var elapsed = watch.Elapsed;
        using var limited = await Client.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = LocalTenantFixture.ClientId,
            ["client_secret"] = LocalTenantFixture.ClientSecret, ["audience"] = Tenant.ManagementAudience,
        }), Ct);
        var ok = await tokens.ClientCredentialsAsync(Tenant.ManagementAudience);

        Assert.True(elapsed >= TimeSpan.FromMilliseconds(290), $"took {elapsed}");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "temporarily_unavailable"), (unavailable.Status, unavailable.Error));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("too_many_requests", (await JsonAsync(limited)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    [Fact]
    public async Task A_fault_on_the_Management_API_can_be_a_429_exactly_like_the_limiter()
    {
        await Tenant.Controls.AddFaultAsync(new { route = "GET /api/v2/**", status = 429 });

        using var limited = await GetAsync(Client, "/api/v2/users-by-email?email=ada%40example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        var body = await JsonAsync(limited);
        Assert.Equal("too_many_requests", body.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task The_method_and_single_segment_wildcards_must_match_and_a_custom_body_is_sent_as_is()
    {
        await Tenant.Controls.AddFaultAsync(new { route = "DELETE /api/v2/users/*", status = 502 });
        await Tenant.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 409, body = new { custom = true } });

        using var nested = await GetAsync(Client, "/api/v2/users/x/identities");
        using var get = await GetAsync(Client, "/api/v2/users/x");

        Assert.NotEqual(HttpStatusCode.Conflict, nested.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, get.StatusCode);
        Assert.True((await JsonAsync(get)).GetProperty("custom").GetBoolean());
        var armed = await Client.GetFromJsonAsync<JsonElement>("/test/faults", Ct);
        Assert.Equal("DELETE /api/v2/users/*", Assert.Single(armed.EnumerateArray()).GetProperty("route").GetString());
    }

    [Fact]
    public async Task Delete_disarms_every_fault()
    {
        await Tenant.Controls.AddFaultAsync(new { route = "/api/v2/**", status = 500, count = 50 });

        using var delete = await Client.DeleteAsync("/test/faults", Ct);
        using var response = await GetAsync(Client, "/api/v2/users/x");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"status":503}""")]
    [InlineData("""{"route":"FETCH /x"}""")]
    [InlineData("""{"route":"api/v2/users"}""")]
    [InlineData("""{"route":"/x","status":200}""")]
    [InlineData("""{"route":"/x","count":0}""")]
    [InlineData("""{"route":"/x","latencyMs":-5}""")]
    [InlineData("""{"route":"/x","status":"bad"}""")]
    [InlineData("""not json""")]
    public async Task A_bad_fault_is_a_400(string body)
    {
        using var response = await Client.PostAsync("/test/faults",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await JsonAsync(response)).GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_so_a_cross_site_form_cannot_arm_faults()
    {
        using var response = await Client.PostAsync("/test/faults",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["route"] = "/oauth/token" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await Client.GetFromJsonAsync<JsonElement>("/test/faults", Ct)).EnumerateArray());
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
}
