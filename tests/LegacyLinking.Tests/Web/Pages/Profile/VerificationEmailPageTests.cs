using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Pages.Profile;

/// <summary>
/// The profile of a user whose email is not verified says so before any link button, and offers the verification
/// email again: a POST with antiforgery, at most one email a minute per user.
/// </summary>
public sealed class VerificationEmailPageTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    [Fact]
    public async Task An_unverified_user_is_told_up_front_and_can_have_the_email_sent_again_once_a_minute()
    {
        var ada = stack.NewBrowser();
        var signedIn = await ada.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaFacebookUnverified));
        var profile = HtmlForm.Parse(await signedIn.Content.ReadAsStringAsync());
        Assert.Contains("Verify your email address first", profile.QuerySelector("[data-test='verify-first']")?.TextContent);
        var before = (await stack.Controls.EmailsAsync(Seeded.AdaEmail)).Count;

        var sent = await LinkResult.ReadAsync(await ada.FollowAsync(await ada.ClickAsync(profile, "/Profile", "send-verification")), null, null);
        Assert.StartsWith($"We sent a verification email to {Seeded.AdaEmail}", sent.Status);
        var emails = await stack.Controls.EmailsAsync(Seeded.AdaEmail);
        Assert.Equal(before + 1, emails.Count);
        Assert.Equal("Verify your email", emails[^1].GetProperty("subject").GetString());

        // Again at once, from another session of the same user: counted per user, so no second email.
        var other = stack.NewBrowser();
        var otherProfile = HtmlForm.Parse(await (await other.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaFacebookUnverified))).Content.ReadAsStringAsync());
        var again = await LinkResult.ReadAsync(await other.FollowAsync(await other.ClickAsync(otherProfile, "/Profile", "send-verification")), null, null);
        Assert.StartsWith("Error: We sent you a verification email less than a minute ago", again.Status);
        Assert.Equal(before + 1, (await stack.Controls.EmailsAsync(Seeded.AdaEmail)).Count);
    }

    [Fact]
    public async Task The_request_needs_the_forms_antiforgery_token()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaFacebookUnverified));
        using var forged = await ada.Http.PostAsync("/Profile?handler=SendVerification", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task A_verified_user_sees_no_notice_and_the_profile_reads_as_a_person_would()
    {
        var john = stack.NewBrowser();
        var page = HtmlForm.Parse(await (await john.SignInAsJohnAsync()).Content.ReadAsStringAsync());
        Assert.Null(page.QuerySelector("[data-test='verify-first']"));
        Assert.Equal("Google", page.QuerySelector("[data-test='link-google-oauth2']")?.TextContent.Trim()[1..].Trim());
        Assert.Contains("Email and password", page.QuerySelector("[data-test='link-Username-Password-Authentication']")?.TextContent);
        Assert.Contains("Phone", page.QuerySelector("[data-test='link-sms']")?.TextContent);
        // QA's words are not John's: no flow badge, no last flow, no attempts.
        Assert.Null(page.QuerySelector("[data-test='flow-badge']"));
        Assert.Null(page.QuerySelector("[data-test='recent-attempts']"));

        var linked = await john.LinkSmsAsync();
        Assert.StartsWith("Your Phone account is linked", linked.Status);
        Assert.DoesNotContain("through", linked.Status);
        Assert.Null(linked.Page.QuerySelector("[data-test='status-detail']"));
        Assert.Null(linked.Page.QuerySelector("[data-test='last-flow']"));
        var sms = linked.Page.QuerySelector("[data-test='identity-sms-560ebaeef609ee1adaa7c551']")!;
        Assert.Contains("phone number ending in 1929", sms.TextContent);
        Assert.Equal("DETAILS", sms.QuerySelector("details")?.TagName);
        await john.UnlinkAsync("sms", "560ebaeef609ee1adaa7c551");
    }
}
