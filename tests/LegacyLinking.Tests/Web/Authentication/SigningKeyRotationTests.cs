using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// The tenant rotates its signing key while the app holds the old key set: the app fetches the keys again when an ID
/// token names a key it does not know, and signs the user in (and links, on the secondary's callback); a key that stays
/// unknown is refused without fetching in a loop (catalogue 18, key rotation and JWKS refetch, through the app).
/// </summary>
public sealed class SigningKeyRotationTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    // One test for both callbacks: each scheme keeps its own key set, and a refresh forced by an unknown key is honoured
    // once per interval, so a second rotation in this app would be refused by design.
    [Fact]
    public async Task After_the_tenant_rotates_its_signing_key_the_first_sign_in_and_the_first_link_fetch_the_new_keys_and_succeed()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var before = stack.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await before.SignInAsJohnAsync()).StatusCode); // the app holds the old key set now

        await stack.RotateSigningKeyAsync();

        var after = stack.NewBrowser();
        var profile = await after.SignInAsJohnAsync();
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var page = HtmlForm.Parse(await profile.Content.ReadAsStringAsync());
        Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
        Assert.InRange((await KeySetFetchesAsync()).Length, 1, 2); // fetched again for the new key, not on every sign-in

        // The secondary's login has its own handler and key set: its first callback after the rotation fetches too.
        var linked = await after.LinkSmsAsync();
        Assert.True(linked.HasIdentity("sms", SmsId), linked.Status);
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    // On an instance of its own: the refresh it forces must not spend the rotation test's.
    [Fact]
    public async Task An_id_token_signed_with_a_key_the_tenant_never_published_is_refused_without_a_fetch_loop()
    {
        await using var instance = await stack.StartSecondInstanceAsync();
        await AppStackFixture.WaitUntilSignInStartsAsync(instance.Url);
        var warm = stack.NewBrowser(instance);
        Assert.Equal(HttpStatusCode.OK, (await warm.SignInAsJohnAsync()).StatusCode);
        var fetchesBefore = (await KeySetFetchesAsync()).Length;

        await stack.Controls.MutateNextIdTokenAsync("kid-unknown", count: 3);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var browser = stack.NewBrowser(instance);
            var refused = await browser.SignInAsJohnAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");
        }
        Assert.InRange((await KeySetFetchesAsync()).Length - fetchesBefore, 0, 1);
    }

    /// <summary>The tenant's key set requests since it (re)started.</summary>
    private Task<System.Text.Json.JsonElement[]> KeySetFetchesAsync() => stack.CallsAsync("/.well-known/jwks.json", "GET");
}
