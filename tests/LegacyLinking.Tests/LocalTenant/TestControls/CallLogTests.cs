using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary><c>GET /test/calls</c>: what the app sent, with the bearer's kind, sub and azp, and never a token or secret.</summary>
public sealed class CallLogTests(TestControlsTenantFixture tenant) : TestControlsTestBase(tenant)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TenantApi Api => new(Client, new Uri(Tenant.Url));

    [Fact]
    public async Task Each_bearer_kind_is_recorded_with_its_sub_and_azp_but_never_the_token()
    {
        var bearers = new TenantBearers(Tenant);
        var john = await bearers.SignInAsync(Seeded.John);
        var server = await bearers.ClientCredentialsAsync();
        var forged = new TokenForge(Tenant).AccessToken(Seeded.John, "read:users", key: new TokenForge(Tenant).ForeignKey());
        var user = TenantApi.UserPath(Seeded.John);

        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(user, john.AccessToken)).Status);
        await Api.GetAsync(user, john.IdToken);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(user, server)).Status);
        await Api.GetAsync(user, "not-a-jwt");
        await Api.GetAsync(user, forged);
        await Api.GetAsync(user, null);
        await Tenant.CreateTokenClient(Client).UserInfoAsync(john.AccessToken);

        var api = await Tenant.Controls.CallsAsync("/api/v2");
        Assert.All(api, c => Assert.Equal("/api/v2/users/" + Seeded.John, c.GetProperty("path").GetString()));
        Assert.Equal(
        [
            ("access_token", Seeded.John, LocalTenantFixture.ClientId, 200),
            ("id_token", Seeded.John, LocalTenantFixture.ClientId, 200), // the seed allows ID tokens (enable_idtoken_api2)
            ("client_credentials", LocalTenantFixture.ClientId + "@clients", LocalTenantFixture.ClientId, 200),
            ("invalid", null, null, 401),
            ("invalid", Seeded.John, LocalTenantFixture.ClientId, 401),
            ("none", null, null, 401),
        ], api.Select(c => (Kind(c), Text(c.GetProperty("bearer"), "sub"), Text(c.GetProperty("bearer"), "azp"), c.GetProperty("status").GetInt32())));
        Assert.Equal("header", Text(api[0].GetProperty("bearer"), "source"));

        var userInfo = Assert.Single(await Tenant.Controls.CallsAsync("/userinfo"));
        Assert.Equal(("access_token", 200), (Kind(userInfo), userInfo.GetProperty("status").GetInt32()));

        var tokens = await Tenant.Controls.CallsAsync("/oauth/token");
        Assert.Equal(["authorization_code", "client_credentials"], tokens.Select(c => Text(c, "grantType")));
        Assert.All(tokens, c => Assert.Equal((LocalTenantFixture.ClientId, "none", 200), (Text(c, "clientId")!, Kind(c), c.GetProperty("status").GetInt32())));

        var authorize = await Tenant.Controls.CallsAsync("/authorize");
        Assert.NotEmpty(authorize);
        Assert.Contains("client_id=legacylinking-web", Text(authorize[0], "query"));
        await AssertNoSecretsAsync(john.AccessToken, john.IdToken, server);
    }

    [Fact]
    public async Task Legacy_routes_record_the_token_they_carry_by_kind_and_the_query_keeps_only_secret_names()
    {
        var john = await new TenantBearers(Tenant).SignInAsync(Seeded.John);

        await Client.PostAsync("/unlink", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["access_token"] = john.AccessToken, ["user_id"] = Seeded.JohnSms,
        }), Ct);
        await Client.PostAsJsonAsync("/login/unlink", new { access_token = "junk", user_id = Seeded.JohnSms }, Ct);
        var legacy = new AuthorizeRequest
        {
            Tenant = Tenant.Url, Connection = "github",
            Extra = new Dictionary<string, string> { ["access_token"] = john.AccessToken, ["client_secret"] = "leak-me" },
        };
        await Client.GetAsync(legacy.ToUri(), Ct);

        var unlink = Assert.Single(await Tenant.Controls.CallsAsync("/unlink"));
        Assert.Equal(("access_token", "body", Seeded.John), (Kind(unlink), Text(unlink.GetProperty("bearer"), "source"), Text(unlink.GetProperty("bearer"), "sub")));
        var loginUnlink = Assert.Single(await Tenant.Controls.CallsAsync("/login/unlink"));
        Assert.Equal(("invalid", "body"), (Kind(loginUnlink), Text(loginUnlink.GetProperty("bearer"), "source")));
        var authorize = (await Tenant.Controls.CallsAsync("/authorize")).Last();
        Assert.Equal(("access_token", "query"), (Kind(authorize), Text(authorize.GetProperty("bearer"), "source")));
        var query = Text(authorize, "query")!;
        Assert.Contains("access_token=redacted", query);
        Assert.Contains("client_secret=redacted", query);
        Assert.Contains("connection=github", query);
        await AssertNoSecretsAsync(john.AccessToken, john.IdToken, "leak-me");
    }

    [Fact]
    public async Task Rate_limited_and_faulted_calls_are_recorded_with_the_status_the_caller_got()
    {
        await Tenant.Controls.SetRateLimitAsync(new { burstSize = 1, tokensPerSecond = 0.1 });
        await Api.GetAsync("users/x", null);
        await Api.GetAsync("users/x", null);
        await Tenant.Controls.SetRateLimitAsync(new { enabled = false });
        await Tenant.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 502 });
        await Api.GetAsync("users/x", null);

        var statuses = (await Tenant.Controls.CallsAsync("/api/v2")).Select(c => c.GetProperty("status").GetInt32());
        Assert.Equal([401, 429, 502], statuses);
    }

    [Fact]
    public async Task Delete_clears_the_log_and_test_routes_are_never_recorded()
    {
        await Api.GetAsync("users/x", null);
        Assert.NotEmpty(await Tenant.Controls.CallsAsync());

        using var delete = await Client.DeleteAsync("/test/calls", Ct);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(await Tenant.Controls.CallsAsync());
    }

    private async Task AssertNoSecretsAsync(params string[] secrets)
    {
        var text = await Tenant.Controls.CallsTextAsync();
        Assert.False(Jwt.AppearsIn(text));
        Assert.DoesNotContain(LocalTenantFixture.ClientSecret, text);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, text);
    }

    private static string Kind(JsonElement call) => call.GetProperty("bearer").GetProperty("kind").GetString()!;

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
