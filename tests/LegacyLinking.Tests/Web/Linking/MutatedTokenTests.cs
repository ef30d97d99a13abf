using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The tenant hands out a defective ID token (its test controls); the app must refuse it on both callbacks — the
/// primary sign-in and the secondary's link login — before any tenant write.
/// </summary>
public sealed class MutatedTokenTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    public static TheoryData<string> Mutations =>
        ["sig", "aud", "iss", "iss-no-slash", "exp", "iat-missing", "none", "kid", "hs256", "nonce", "nonce-missing", "sub-missing"];

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task The_link_callback_refuses_a_defective_secondary_id_token_without_writing(string mutation)
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.MutateNextIdTokenAsync(mutation);

        var result = await john.LinkSmsAsync();

        Assert.StartsWith("Error:", result.Status);
        Assert.False(result.HasIdentity("sms", SmsId));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.DoesNotContain(await stack.CallsAsync("/api/v2/users", "POST"), c => c.ToString().Contains("/identities"));
        Assert.Equal("John Doe", result.Page.QuerySelector("[data-test='current-user']")?.TextContent); // still John's session
    }

    [Fact]
    public async Task A_stale_secondary_login_is_refused()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.MutateNextIdTokenAsync("auth_time-old");

        var result = await john.LinkSmsAsync();
        Assert.Contains("not fresh", result.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_string_email_verified_is_not_verified_for_a_suggested_link()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        await stack.Controls.MutateNextIdTokenAsync("email_verified-string");

        var result = await ada.LinkSuggestionAsync("github", (driver, start) => driver.ContinueAsAsync(start, Seeded.AdaGithub));
        Assert.Contains("email is not verified", result.Status);
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task The_sign_in_callback_refuses_a_defective_id_token(string mutation)
    {
        var browser = stack.NewBrowser();
        await stack.Controls.MutateNextIdTokenAsync(mutation);
        var response = await browser.SignInAsJohnAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");
    }
}
