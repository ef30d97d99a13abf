using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Profile;

/// <summary>
/// The tenant keeps each social identity's upstream IdP token, as Auth0 does, and returns it on GET user only to a
/// token granted <c>read:user_idp_tokens</c>. The app never asks for that scope, and neither the profile page nor the
/// export shows an IdP token of a linked identity (catalogue 31).
/// </summary>
public sealed class IdpTokenExposureTests(IdpTokenExposureTests.Stack stack) : IClassFixture<IdpTokenExposureTests.Stack>, IAsyncLifetime
{
    /// <summary>The tests' admin client is also granted <c>read:user_idp_tokens</c> here, to read what the tenant holds.</summary>
    public sealed class Stack : AppStackWithTestControls
    {
        protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings =>
            [.. base.TenantSettings, new("LocalTenant:Clients:2:ManagementApiScopes:7", "read:user_idp_tokens")];
    }

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub);

    [Fact]
    public async Task A_linked_identity_s_idp_token_is_held_by_the_tenant_but_never_asked_for_nor_shown()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var linked = await ada.LinkSuggestionAsync("github", (driver, start) => driver.ContinueAsAsync(start, Seeded.AdaGithub));
        Assert.True(linked.HasIdentity("github", "1234567"), linked.Status);

        // The tenant holds the github login's IdP token on identities[1], for a caller allowed to read it.
        var secret = (await UserAsync(await TenantTokens.AdminTokenAsync(stack))).GetProperty("identities")[1].GetProperty("access_token").GetString();
        Assert.False(string.IsNullOrEmpty(secret));
        Assert.False((await UserAsync(await TenantTokens.ClientCredentialsAsync(stack))).GetProperty("identities")[1].TryGetProperty("access_token", out _),
            "a read:users token does not get IdP tokens");

        using var profile = await ada.Http.GetAsync("/Profile", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var pages = new List<(string Name, string Body)> { ("/Profile", await profile.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)) };
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        foreach (var path in new[] { "/Migration", "/Migration?handler=Export&format=json", "/Migration?handler=Export&format=csv", "/Qa/Flags" })
        {
            using var response = await qa.Http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add((path, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }
        foreach (var (name, body) in pages)
        {
            Assert.False(body.Contains(secret!, StringComparison.Ordinal), name + " shows the IdP token");
            // The QA pages name the deprecated "/authorize?access_token=" flow; the user's page and the exports name no token field.
            if (name is "/Migration" or "/Qa/Flags") continue;
            Assert.False(body.Contains("access_token", StringComparison.OrdinalIgnoreCase), name + " names access_token");
            Assert.False(body.Contains("refresh_token", StringComparison.OrdinalIgnoreCase), name + " names refresh_token");
        }

        // Every token the app sent the Management API was granted without read:user_idp_tokens.
        var calls = (await stack.CallsAsync("/api/v2", "GET"))
            .Where(c => c.GetProperty("bearer").TryGetProperty("azp", out var azp) && azp.GetString() != LocalTenantFixture.AdminClientId).ToArray();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.DoesNotContain("read:user_idp_tokens",
            c.GetProperty("bearer").TryGetProperty("scope", out var scope) ? scope.GetString() ?? "" : ""));
    }

    private async Task<JsonElement> UserAsync(string bearer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{stack.Url}/api/v2/users/{Uri.EscapeDataString(Seeded.AdaDatabase)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }
}
