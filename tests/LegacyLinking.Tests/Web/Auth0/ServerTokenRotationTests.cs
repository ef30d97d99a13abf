using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Auth0;

/// <summary>
/// The app's cached server token after the tenant stopped accepting it (its signing key rotated and revoked): the call
/// that meets the 401 fails and is not repeated, and the next one fetches a fresh token instead of sending the dead one
/// for the rest of its cached life.
/// </summary>
public sealed class ServerTokenRotationTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    [Fact]
    public async Task A_server_token_the_tenant_refuses_is_forgotten_and_the_next_call_fetches_a_fresh_one()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var (before, _) = await john.GetPageAsync("/Profile"); // reads the user with the server token, now cached
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await stack.RotateSigningKeyAsync();

        var refused = await john.Http.GetAsync("/Profile");
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        var said = await refused.Content.ReadAsStringAsync();
        Assert.Contains("The sign-in service refused to show your accounts to this app", said);
        Assert.DoesNotContain("The tenant answered 401", said); // the tenant's own words are for QA only
        Assert.Empty(await ServerTokenGrantsAsync()); // the refused read was not retried with a new token

        var (after, page) = await john.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
        Assert.Single(await ServerTokenGrantsAsync());
    }

    /// <summary>The client-credentials grants the tenant served since it (re)started.</summary>
    private async Task<System.Text.Json.JsonElement[]> ServerTokenGrantsAsync() =>
        (await stack.CallsAsync("/oauth/token", "POST")).Where(c => c.GetProperty("grantType").GetString() == "client_credentials").ToArray();
}
