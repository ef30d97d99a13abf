using System.Net;
using AngleSharp.Html.Dom;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>An app that wants the primary's sign-in to be at most four seconds old to link or unlink (tenant test controls on).</summary>
public sealed class ShortReauthenticationWindow : AppStackWithTestControls
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Linking:PrimaryReauthenticationSeconds", "4")];
}

/// <summary>
/// Link and unlink need a recent primary sign-in. An older session is told why on an app page,
/// signs in again, and the request it made resumes — bound to its browser and user, once, re-checked like a fresh one.
/// </summary>
public sealed class ReauthenticationTests(ShortReauthenticationWindow stack) : IClassFixture<ShortReauthenticationWindow>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromSeconds(5.5);

    public async ValueTask InitializeAsync()
    {
        await stack.Controls.ResetAsync();
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
    }

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task A_stale_session_is_told_why_signs_in_again_and_the_link_goes_on()
    {
        var john = await StaleJohnAsync();
        var confirm = await ConfirmPageAsync(john, "link-sms");
        Assert.Equal("To link another account, confirm it's you", confirm.QuerySelector("[data-test='confirm-reason']")?.TextContent.Trim());

        var signIn = await ContinueAsync(john, confirm);
        var query = QueryHelpers.ParseQuery(signIn.Query);
        Assert.Equal(stack.AppUrl + "/callback", query["redirect_uri"]); // the primary's own sign-in, not the link's
        Assert.Equal("login", query["prompt"]);
        Assert.Equal("0", query["max_age"]);

        // Signed in again: straight on to the second account's login, then linked — no second click.
        var resumed = await SignInAgainAsync(john, signIn);
        var secondary = TestBrowser.RedirectTarget(resumed)!;
        Assert.Equal(stack.AppUrl + "/link/callback", QueryHelpers.ParseQuery(secondary.Query)["redirect_uri"]);
        Assert.Equal("sms", QueryHelpers.ParseQuery(secondary.Query)["connection"]);
        var step = await john.Tenant.LoginWithSmsAsync(secondary, Seeded.JohnSmsPhone);
        var linked = await LinkResult.ReadAsync(await john.FollowAsync(await step.DeliverAsync(john.Http)), null, secondary);
        Assert.StartsWith("Your Phone account is linked", linked.Status);
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_stale_session_cannot_unlink_until_it_signs_in_again_and_then_the_unlink_goes_on()
    {
        await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);
        var john = await StaleJohnAsync();
        var confirm = await ConfirmPageAsync(john, $"unlink-sms-{SmsId}");
        Assert.Equal("To remove an account, confirm it's you", confirm.QuerySelector("[data-test='confirm-reason']")?.TextContent.Trim());
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.Empty(await stack.CallsAsync("/api/v2/users", "DELETE"));

        var resumed = await SignInAgainAsync(john, await ContinueAsync(john, confirm));
        var unlinked = await LinkResult.ReadAsync(await john.FollowAsync(resumed), null, null);
        Assert.StartsWith("Your Phone account is unlinked", unlinked.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_sign_in_that_comes_back_old_resumes_nothing()
    {
        await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);
        var john = await StaleJohnAsync();
        var confirm = await ConfirmPageAsync(john, $"unlink-sms-{SmsId}");
        var signIn = await ContinueAsync(john, confirm);
        await stack.Controls.MutateNextIdTokenAsync("auth_time-old"); // a tenant that ignored max_age=0

        var back = await LinkResult.ReadAsync(await john.FollowAsync(await SignInAgainAsync(john, signIn)), null, null);
        // Said on the profile; or, when an earlier test of the class cut John's sessions (a link or unlink), a login
        // from before that cut is no sign-in at all (SessionCutSignInTests).
        if (back.Response.StatusCode == HttpStatusCode.BadRequest)
            Assert.Contains("sign-in from before that", back.Page.QuerySelector("[data-test='error']")?.TextContent);
        else
            Assert.StartsWith("Error:", back.Status);
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.Empty(await stack.CallsAsync("/api/v2/users", "DELETE"));
    }

    [Fact]
    public async Task A_resume_runs_only_in_its_own_browser_and_for_its_own_user()
    {
        var john = await StaleJohnAsync();
        var confirmPage = await john.FollowAsync(await ClickOnProfileAsync(john, "link-sms"));
        var handle = QueryHelpers.ParseQuery(confirmPage.RequestMessage!.RequestUri!.Query)["resume"].Single()!;
        var resumeUrl = $"/Profile?handler=Resume&resume={Uri.EscapeDataString(handle)}";

        // Another browser, freshly signed in as someone else, opening the resume (or its confirmation): nothing.
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var forged = await LinkResult.ReadAsync(await ada.FollowAsync(await ada.Http.GetAsync(resumeUrl)), null, null);
        Assert.StartsWith("Error:", forged.Status);
        var (_, forgedConfirm) = await ada.GetPageAsync($"/Profile/Confirm?resume={Uri.EscapeDataString(handle)}");
        Assert.Null(forgedConfirm.QuerySelector("[data-test='confirm-continue']"));

        // John's browser, signed in again at the tenant as another user (QA): John's link does not start for QA.
        var confirm = HtmlForm.Parse(await confirmPage.Content.ReadAsStringAsync());
        var asQa = await john.Tenant.LoginWithPasswordAsync(await ContinueAsync(john, confirm), Seeded.QaEmail, Seeded.QaPassword);
        var back = await john.FollowAsync(await asQa.DeliverAsync(john.Http));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode); // on the profile page, not on the way to a link login
        var other = await LinkResult.ReadAsync(back, null, null);
        Assert.StartsWith("Error:", other.Status);
        Assert.Equal("QA Tester", other.Page.QuerySelector("[data-test='current-user']")?.TextContent);
    }

    [Fact]
    public async Task A_resumed_request_is_checked_like_a_fresh_one_and_runs_once()
    {
        var john = await StaleJohnAsync();
        var (_, profile) = await john.GetPageAsync("/Profile");
        // The primary identity, which the page never offers to remove: kept, then refused by the same guard as ever.
        var token = HtmlForm.Find(profile, john.Start("/Profile"), "form[method='post']")["__RequestVerificationToken"]!;
        var posted = await john.Http.PostAsync("/Profile?handler=Unlink", new FormUrlEncodedContent([
            new("provider", "google-oauth2"), new("userId", "115015401343387192604"), new("__RequestVerificationToken", token),
        ]));
        var confirmPage = await john.FollowAsync(posted);
        var confirm = HtmlForm.Parse(await confirmPage.Content.ReadAsStringAsync());
        var resumed = await SignInAgainAsync(john, await ContinueAsync(john, confirm));
        var refused = await LinkResult.ReadAsync(await john.FollowAsync(resumed), null, null);
        Assert.Equal("Error: This is the account you sign in with, so it cannot be unlinked. You can unlink any of the other accounts listed.", refused.Status);

        // The same resume again: already used.
        var handle = QueryHelpers.ParseQuery(confirmPage.RequestMessage!.RequestUri!.Query)["resume"].Single()!;
        var replay = await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync($"/Profile?handler=Resume&resume={Uri.EscapeDataString(handle)}")), null, null);
        Assert.Contains("expired or was already done", replay.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.Empty(await stack.CallsAsync("/api/v2/users", "DELETE"));
    }

    [Fact]
    public async Task The_confirmation_continues_only_with_the_antiforgery_token()
    {
        var john = await StaleJohnAsync();
        var confirm = await ConfirmPageAsync(john, "link-sms");
        var form = HtmlForm.Find(confirm, john.Start("/Profile/Confirm"), "[data-test='confirm-continue']");
        var response = await john.Http.PostAsync("/Profile/Confirm", new FormUrlEncodedContent([new("resume", form["resume"]!)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>John, signed in longer ago than the window.</summary>
    private async Task<AppBrowser> StaleJohnAsync()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await Task.Delay(PastTheWindow, TestContext.Current.CancellationToken);
        return john;
    }

    private static async Task<HttpResponseMessage> ClickOnProfileAsync(AppBrowser browser, string hook)
    {
        var (_, profile) = await browser.GetPageAsync("/Profile");
        var response = await browser.ClickAsync(profile, "/Profile", hook);
        Assert.Equal("/Profile/Confirm", TestBrowser.RedirectTarget(response)?.AbsolutePath); // not to the tenant, not done
        return response;
    }

    /// <summary>Clicks <paramref name="hook"/> on the profile and lands on the app's confirmation page.</summary>
    private static async Task<IHtmlDocument> ConfirmPageAsync(AppBrowser browser, string hook) =>
        HtmlForm.Parse(await (await browser.FollowAsync(await ClickOnProfileAsync(browser, hook))).Content.ReadAsStringAsync());

    /// <summary>Clicks "Continue": the tenant's <c>/authorize</c> for the primary's fresh sign-in.</summary>
    private static async Task<Uri> ContinueAsync(AppBrowser browser, IHtmlDocument confirm)
    {
        var response = await browser.ClickAsync(confirm, "/Profile/Confirm", "confirm-continue");
        return TestBrowser.RedirectTarget(response) ?? throw new InvalidOperationException($"Continue did not redirect: {(int)response.StatusCode}");
    }

    /// <summary>Signs John in at the tenant and follows the app back until it leaves the app again (or lands).</summary>
    private static async Task<HttpResponseMessage> SignInAgainAsync(AppBrowser john, Uri authorize)
    {
        var step = await john.Tenant.ContinueAsAsync(authorize, Seeded.John);
        return await john.FollowAsync(await step.DeliverAsync(john.Http));
    }
}
