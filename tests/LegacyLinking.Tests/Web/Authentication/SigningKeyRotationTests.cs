using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// The tenant rotates its signing key while the app holds the old key set: the app fetches the keys again when an ID
/// token names a key it does not know, and signs the user in; a key that stays unknown is refused without fetching in
/// a loop (catalogue 18, key rotation and JWKS refetch, through the app).
/// </summary>
public sealed class SigningKeyRotationTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    // Fails today: the first sign-in after a rotation is refused (IDX10503, the new kid is not in the cached key set);
    // the handler asks for the key set again only after refusing, so the next sign-in works. The catalogue wants the
    // refetch before the verdict. Left skipped until the app's configuration manager lets the token handler refetch.
    [Fact(Skip = "Known defect: the first sign-in after the tenant rotates its signing key is refused (docs/testing.md, catalogue 18)")]
    public async Task After_the_tenant_rotates_its_signing_key_a_sign_in_fetches_the_new_keys_and_succeeds()
    {
        var before = stack.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await before.SignInAsJohnAsync()).StatusCode); // the app holds the old key set now

        await stack.RotateSigningKeyAsync();

        var after = stack.NewBrowser();
        var profile = await after.SignInAsJohnAsync();
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var page = HtmlForm.Parse(await profile.Content.ReadAsStringAsync());
        Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
        Assert.InRange((await KeySetFetchesAsync()).Length, 1, 2); // fetched again for the new key, not on every sign-in
    }

    [Fact]
    public async Task An_id_token_signed_with_a_key_the_tenant_never_published_is_refused_without_a_fetch_loop()
    {
        var warm = stack.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await warm.SignInAsJohnAsync()).StatusCode);
        var fetchesBefore = (await KeySetFetchesAsync()).Length;

        await stack.Controls.MutateNextIdTokenAsync("kid-unknown");
        var browser = stack.NewBrowser();
        var refused = await browser.SignInAsJohnAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");
        Assert.InRange((await KeySetFetchesAsync()).Length - fetchesBefore, 0, 1);
    }

    /// <summary>The tenant's key set requests since it (re)started.</summary>
    private Task<System.Text.Json.JsonElement[]> KeySetFetchesAsync() => stack.CallsAsync("/.well-known/jwks.json", "GET");
}
