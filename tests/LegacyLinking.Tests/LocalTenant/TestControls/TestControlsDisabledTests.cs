using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary>The seed's tenant has no test controls: every /test route is a 404, and nothing is recorded or mutated.</summary>
public sealed class TestControlsDisabledTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    [Theory]
    [InlineData("GET", "/test/calls")]
    [InlineData("DELETE", "/test/calls")]
    [InlineData("POST", "/test/faults")]
    [InlineData("GET", "/test/faults")]
    [InlineData("DELETE", "/test/faults")]
    [InlineData("POST", "/test/next")]
    [InlineData("POST", "/test/reset")]
    [InlineData("GET", "/test/emails")]
    [InlineData("DELETE", "/test/emails")]
    [InlineData("GET", "/test/rate-limit")]
    [InlineData("POST", "/test/rate-limit/oauth-token")]
    public async Task Test_control_routes_are_not_there(string method, string path)
    {
        using var client = tenant.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "GET" ? null : new StringContent("""{"mutation":"aud","route":"/oauth/token"}""", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>The developer tools answer loopback names only (DNS rebinding): another Host gets the tenant's 421.</summary>
public sealed class TestControlsHostTests(TestControlsTenantFixture tenant) : IClassFixture<TestControlsTenantFixture>
{
    [Theory]
    [InlineData("evil.example", HttpStatusCode.MisdirectedRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    public async Task Only_loopback_host_names_reach_the_test_controls(string host, HttpStatusCode expected)
    {
        using var client = tenant.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/calls");
        request.Headers.Host = host + ":" + new Uri(tenant.Url).Port;

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }
}
