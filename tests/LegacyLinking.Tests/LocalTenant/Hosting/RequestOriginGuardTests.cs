using System.Net;
using System.Net.Http.Json;
using System.Text;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Hosting;

/// <summary>
/// The local tenant as a door on a developer's machine: every route answers only the host names it serves (a
/// DNS-rebinding page's own name gets a 421), and a browser's cross-site state change is refused where the tenant's
/// cookies or developer tools are at stake.
/// </summary>
public sealed class RequestOriginGuardTests(TestControlsTenantFixture tenant) : IClassFixture<TestControlsTenantFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => new Uri(tenant.Url).Port;

    public static TheoryData<string, string> Routes => new()
    {
        { "POST", "/oauth/token" },
        { "GET", "/.well-known/openid-configuration" },
        { "GET", "/api/v2/users/x" },
        { "GET", "/authorize?client_id=legacylinking-web&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A5080%2Fcallback&scope=openid" },
        { "GET", "/login" },
        { "GET", "/dashboard" },
        { "POST", "/test/reset" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_rebound_host_name_reaches_no_route(string method, string path)
    {
        foreach (var host in new[] { $"rebind.example:{Port}", "rebind.example", $"127.0.0.1:{Port + 1}" })
        {
            using var response = await SendAsync(method, path, host);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
            Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task The_documented_dev_secret_gives_a_token_only_to_a_request_for_the_tenants_own_name()
    {
        using var rebound = await SendAsync("POST", "/oauth/token", $"rebind.example:{Port}");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, rebound.StatusCode);
        foreach (var host in new[] { $"127.0.0.1:{Port}", $"localhost:{Port}" })
        {
            using var own = await SendAsync("POST", "/oauth/token", host);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Contains("access_token", await own.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task Names_the_tenant_is_configured_to_serve_are_answered()
    {
        await using var configured = await LocalTenantFixture.StartAsync(
        [
            new("LocalTenant:AllowedHosts:0", "tenant.local.test"),
            new("LocalTenant:AllowedHosts:1", "proxy.local.test:8443"),
        ]);
        using var http = configured.CreateClient();
        async Task<HttpStatusCode> StatusFor(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request, Ct);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await StatusFor("tenant.local.test"));
        Assert.Equal(HttpStatusCode.OK, await StatusFor("tenant.local.test:9443"));
        Assert.Equal(HttpStatusCode.OK, await StatusFor("proxy.local.test:8443"));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await StatusFor("proxy.local.test:8444"));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await StatusFor("other.local.test"));
    }

    [Fact]
    public async Task A_malformed_allowed_host_stops_the_start_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LocalTenantFixture.StartAsync([new("LocalTenant:AllowedHosts:0", "https://tenant.local.test/")]));
        Assert.Contains("'LocalTenant:AllowedHosts'", error.Message);
    }

    public static TheoryData<string, string> BrowserStateChanges => new()
    {
        { "/login?returnUrl=%2Fauthorize", "application/x-www-form-urlencoded" },
        { "/login/forgot-password?returnUrl=%2Fauthorize", "application/x-www-form-urlencoded" },
        { "/dashboard?handler=Flags", "application/x-www-form-urlencoded" },
        { "/test/reset", "application/json" },
    };

    [Theory]
    [MemberData(nameof(BrowserStateChanges))]
    public async Task A_cross_site_state_change_is_refused_and_a_same_site_one_is_not(string path, string mediaType)
    {
        foreach (var (origin, fetchSite) in new (string, string?)[]
        {
            ("https://evil.example", null), ($"http://127.0.0.1:{Port + 1}", null), ("https://evil.example", "same-origin"),
            ("null", null), ("null", "cross-site"), ("null", "same-site"),
        })
        {
            using var cross = await PostAsync(path, mediaType, origin, fetchSite);
            Assert.True(cross.StatusCode == HttpStatusCode.Forbidden, $"{origin} {fetchSite}: {(int)cross.StatusCode}");
            Assert.Equal("Cross-site requests to this page are not accepted.", await cross.Content.ReadAsStringAsync(Ct));
        }
        // The tenant's own pages: its origin, or (under its no-referrer policy) "null" from the same origin.
        foreach (var (origin, fetchSite) in new (string, string?)[] { (tenant.Url, null), ("null", "same-origin") })
        {
            using var same = await PostAsync(path, mediaType, origin, fetchSite);
            Assert.NotEqual(HttpStatusCode.Forbidden, same.StatusCode);
        }
    }

    [Fact]
    public async Task The_endpoints_Auth0_serves_to_other_origins_are_left_to_their_credentials()
    {
        using var token = await SendAsync("POST", "/oauth/token", $"127.0.0.1:{Port}", origin: "https://spa.example");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        using var authorize = await PostAsync("/authorize", "application/x-www-form-urlencoded", "https://app.example");
        Assert.NotEqual(HttpStatusCode.Forbidden, authorize.StatusCode);
        using var api = await PostAsync("/api/v2/users", "application/json", "https://spa.example");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode); // no bearer: Auth0's 401, not the guard's 403
    }

    [Fact]
    public async Task Reset_takes_json_only_so_a_cross_site_form_cannot_send_it()
    {
        await tenant.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 503, count = 1 });
        using var http = tenant.CreateClient();
        using (var form = await http.PostAsync("/test/reset", new FormUrlEncodedContent([]), Ct))
            Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        using (var bare = await http.PostAsync("/test/reset", null, Ct))
            Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        using (var faults = await http.GetAsync("/test/faults", Ct))
            Assert.Contains("GET /api/v2/users/*", await faults.Content.ReadAsStringAsync(Ct));

        using (var json = await http.PostAsJsonAsync("/test/reset", new { }, Ct))
            Assert.Equal(HttpStatusCode.NoContent, json.StatusCode);
        using (var faults = await http.GetAsync("/test/faults", Ct))
            Assert.Equal("[]", await faults.Content.ReadAsStringAsync(Ct));
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string host, string? origin = null)
    {
        using var http = tenant.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (path == "/oauth/token")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = LocalTenantFixture.ClientId,
                ["client_secret"] = LocalTenantFixture.ClientSecret,
                ["audience"] = tenant.ManagementAudience,
            });
        }
        else if (method == "POST") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return await http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string mediaType, string origin, string? fetchSite = null)
    {
        using var http = tenant.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(mediaType == "application/json" ? "{}" : "a=b", Encoding.UTF8, mediaType),
        };
        request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        return await http.SendAsync(request, Ct);
    }
}
