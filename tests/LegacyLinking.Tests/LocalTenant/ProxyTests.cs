using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>A tenant behind a TLS-terminating proxy on this machine (<c>LocalTenant:KnownProxies=127.0.0.1</c>).</summary>
public sealed class BehindProxyTenant() : LocalTenantFixture([new("LocalTenant:KnownProxies:0", "127.0.0.1")]);

/// <summary>
/// Behind a TLS-terminating proxy the issuer, the API identifiers and the discovery URLs are the public https address
/// the proxy was asked for (X-Forwarded-Proto/Host), and only a configured proxy is believed.
/// </summary>
public sealed class ProxyTests(BehindProxyTenant tenant) : IClassFixture<BehindProxyTenant>
{
    private const string PublicUrl = "https://tenant.proxy.test:8443";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discovery_through_the_proxy_names_the_public_https_address()
    {
        var json = await GetJsonAsync(tenant, "/.well-known/openid-configuration", forwarded: true);

        Assert.Equal(PublicUrl + "/", json.GetProperty("issuer").GetString());
        Assert.Equal(PublicUrl + "/oauth/token", json.GetProperty("token_endpoint").GetString());
        Assert.Equal(PublicUrl + "/userinfo", json.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(PublicUrl + "/.well-known/jwks.json", json.GetProperty("jwks_uri").GetString());
        // Straight to the tenant, nothing changes.
        Assert.Equal(tenant.Issuer, (await GetJsonAsync(tenant, "/.well-known/openid-configuration", forwarded: false)).GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task Tokens_minted_through_the_proxy_carry_the_public_issuer_and_audience_and_work_there()
    {
        using var http = Client(tenant, forwarded: true);
        var response = await http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = LocalTenantFixture.ClientId,
            ["client_secret"] = LocalTenantFixture.ClientSecret, ["audience"] = PublicUrl + "/api/v2/",
        }), Ct);
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("access_token").GetString()!;
        var claims = Jwt.Parse(token);
        Assert.Equal((PublicUrl + "/", PublicUrl + "/api/v2/"), (claims.Claim("iss"), claims.Claim("aud")));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v2/users/{Uri.EscapeDataString(Seeded.John)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_address_that_is_not_the_configured_proxy_are_ignored()
    {
        await using var other = await LocalTenantFixture.StartAsync([new("LocalTenant:KnownProxies:0", "10.9.8.7")]);
        var json = await GetJsonAsync(other, "/.well-known/openid-configuration", forwarded: true);
        Assert.Equal(other.Issuer, json.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task The_host_guard_judges_the_name_the_tenant_was_sent_not_a_forwarded_one()
    {
        // A page on a rebound name, on this machine like the proxy, names the tenant in forwarded headers of its own.
        using var http = tenant.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = $"rebind.example:{new Uri(tenant.Url).Port}";
        request.Headers.Add("X-Forwarded-Host", new Uri(tenant.Url).Authority);
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Fact]
    public async Task Through_the_proxy_the_public_origin_is_the_tenants_own_and_any_other_is_cross_site()
    {
        async Task<HttpStatusCode> LoginPostAsync(string origin, bool forwarded)
        {
            using var http = Client(tenant, forwarded);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/login?returnUrl=%2Fauthorize")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "b" }),
            };
            request.Headers.Add("Origin", origin);
            using var response = await http.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.NotEqual(HttpStatusCode.Forbidden, await LoginPostAsync(PublicUrl, forwarded: true));
        Assert.Equal(HttpStatusCode.Forbidden, await LoginPostAsync("https://evil.example", forwarded: true));
        // Straight to the tenant, the public origin is another site's.
        Assert.Equal(HttpStatusCode.Forbidden, await LoginPostAsync(PublicUrl, forwarded: false));
    }

    [Fact]
    public async Task A_known_proxies_entry_that_is_not_an_address_stops_the_start_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LocalTenantFixture.StartAsync([new("LocalTenant:KnownProxies:0", "proxy.example")]));
        Assert.Contains("LocalTenant:KnownProxies", error.Message);
    }

    private static HttpClient Client(LocalTenantFixture at, bool forwarded)
    {
        var http = at.CreateClient();
        if (forwarded)
        {
            http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            http.DefaultRequestHeaders.Add("X-Forwarded-Host", "tenant.proxy.test:8443");
        }
        return http;
    }

    private static async Task<JsonElement> GetJsonAsync(LocalTenantFixture at, string path, bool forwarded)
    {
        using var http = Client(at, forwarded);
        return JsonDocument.Parse(await http.GetStringAsync(path, Ct)).RootElement.Clone();
    }
}
