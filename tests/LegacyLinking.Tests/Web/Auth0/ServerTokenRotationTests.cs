using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Auth0;

/// <summary>
/// The app's cached server token after the tenant stopped accepting it (its signing key rotated and revoked): a read
/// that meets the 401 is sent once more with a fresh token, so the user sees the page; a write that meets it fails and
/// is not repeated (the tenant may have acted on it), and the next call fetches a fresh token instead of sending the
/// dead one for the rest of its cached life.
/// </summary>
public sealed class ServerTokenRotationTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_read_the_tenant_refuses_for_its_server_token_is_sent_once_more_with_a_fresh_one()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var (before, _) = await john.GetPageAsync("/Profile"); // reads the user with the server token, now cached
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await stack.RotateSigningKeyAsync();

        var (after, page) = await john.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
        var reads = await stack.CallsAsync($"/api/v2/users/{Seeded.John}", "GET");
        Assert.Equal([401, 200], reads.Select(c => c.GetProperty("status").GetInt32()).ToArray());
        Assert.Single(await ServerTokenGrantsAsync());
    }

    [Fact]
    public async Task A_write_the_tenant_refuses_for_its_server_token_is_not_repeated_and_the_next_call_fetches_a_fresh_one()
    {
        var management = stack.App.Services.CreateScope().ServiceProvider.GetRequiredService<ManagementApiClient>();
        await management.Users.GetAsync(Seeded.John, cancellationToken: Ct); // the server token, now cached
        await stack.RotateSigningKeyAsync(); // restarts the tenant: its call log starts empty

        var refused = await Assert.ThrowsAsync<ErrorApiException>(() =>
            management.Users.UpdateAsync(Seeded.John, new UserUpdateRequest { UserMetadata = new() { ["rotation"] = "refused" } }, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Single(await stack.CallsAsync($"/api/v2/users/{Seeded.John}", "PATCH"));
        Assert.Empty(await ServerTokenGrantsAsync()); // the refused write was not sent again with a new token

        await management.Users.GetAsync(Seeded.John, cancellationToken: Ct);
        Assert.Single(await ServerTokenGrantsAsync());
        var reads = await stack.CallsAsync($"/api/v2/users/{Seeded.John}", "GET");
        Assert.Equal(200, Assert.Single(reads).GetProperty("status").GetInt32());
    }

    /// <summary>The client-credentials grants the tenant served since it (re)started.</summary>
    private async Task<System.Text.Json.JsonElement[]> ServerTokenGrantsAsync() =>
        (await stack.CallsAsync("/oauth/token", "POST")).Where(c => c.GetProperty("grantType").GetString() == "client_credentials").ToArray();
}
