using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Auth0;

/// <summary>
/// The app's own Management API token (the one its <see cref="ManagementTokenCache"/> mints from the seeded client)
/// holds exactly the scopes of the calls the app makes, and the tenant refuses it everywhere else as Auth0 does.
/// </summary>
public sealed class LeastPrivilegeTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    /// <summary>
    /// Every Management API call in the app's code: <c>GET /users/{id}</c>, <c>GET /users-by-email</c> (<c>read:users</c>);
    /// <c>PATCH /users/{id}</c>, <c>POST/DELETE /users/{id}/identities</c> (<c>update:users</c>); <c>GET /logs</c>
    /// (<c>read:logs</c>). docs/real-tenant.md asks a real tenant for the same three.
    /// </summary>
    private const string AppScopes = "read:users update:users read:logs";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private T Get<T>() where T : notnull => stack.App.Services.GetRequiredService<T>();
    private TenantApi Api => new(stack.CreateClient(), new Uri(stack.Url));

    [Fact]
    public async Task The_apps_server_token_carries_exactly_the_scopes_of_the_calls_the_app_makes()
    {
        var token = Jwt.Parse(await Get<ManagementTokenCache>().GetTokenAsync(Ct));

        Assert.Equal(AppScopes, token.Claim("scope"));
        Assert.Equal(("client-credentials", LocalTenantFixture.ClientId, stack.ManagementAudience),
            (token.Claim("gty"), token.Claim("azp"), token.Claim("aud")));
    }

    [Fact]
    public async Task Every_call_the_app_makes_is_allowed_to_its_server_token()
    {
        var management = Get<ManagementApiClient>();
        var server = await Get<ManagementTokenCache>().GetTokenAsync(Ct);
        var sms = await TenantTokens.ForSmsUserAsync(stack, Seeded.JohnSmsPhone);

        Assert.Equal(Seeded.John, (await management.Users.GetAsync(Seeded.John, cancellationToken: Ct)).UserId);
        Assert.NotEmpty(await management.Users.GetUsersByEmailAsync(Seeded.AdaEmail, cancellationToken: Ct));
        await management.Users.UpdateAsync(Seeded.AdaGithub, new UserUpdateRequest { UserMetadata = new JsonObject { ["scope-check"] = null } }, Ct);
        Assert.Contains(await management.Users.LinkAccountAsync(Seeded.John, server, sms.IdToken!, Ct), i => i.Provider == "sms");
        Assert.DoesNotContain(await management.Users.UnlinkAccountAsync(Seeded.John, "sms", "560ebaeef609ee1adaa7c551", Ct), i => i.Provider == "sms");
        await Get<LogsClient>().SearchAsync(new LogSearch(PerPage: 1), Ct);
    }

    [Theory]
    [InlineData("POST", "users", "create:users")]
    [InlineData("DELETE", "users/auth0%7C5f7c8ec7c33c6c004bbafe83", "delete:users")]
    [InlineData("GET", "tenants/settings", "read:tenant_settings")]
    [InlineData("PATCH", "tenants/settings", "update:tenant_settings")]
    public async Task A_call_the_app_does_not_make_is_Auth0s_403_insufficient_scope_and_changes_nothing(string method, string path, string scope)
    {
        var server = await Get<ManagementTokenCache>().GetTokenAsync(Ct);
        var body = method switch
        {
            "POST" => TenantApi.Json(new { connection = "Username-Password-Authentication", email = $"nobody-{Guid.NewGuid():N}@example.com", password = "Nobody-Passw0rd!" }),
            "PATCH" => TenantApi.Json(new { flags = new { enable_idtoken_api2 = false } }),
            _ => null,
        };

        (await Api.SendAsync(new HttpMethod(method), path, server, body))
            .IsError(HttpStatusCode.Forbidden, $"Insufficient scope, expected any of: {scope}", "insufficient_scope");

        var admin = await TenantTokens.AdminTokenAsync(stack);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(TenantApi.UserPath(Seeded.Qa), admin)).Status);
        Assert.True((await Api.GetAsync("tenants/settings", admin)).IsSuccess().Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());
    }

    [Theory]
    [InlineData("/Profile")]
    [InlineData("/Migration")]
    public async Task The_apps_server_token_is_no_way_into_the_app(string page)
    {
        using var browser = TestBrowser.Create(stack.App.Url);
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Get<ManagementTokenCache>().GetTokenAsync(Ct));

        using var response = await browser.SendAsync(request, Ct);

        // A bearer is not a session: the app asks for a sign-in, exactly as with no header at all.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(stack.Url + "/authorize", response.Headers.Location!.AbsoluteUri);
    }
}
