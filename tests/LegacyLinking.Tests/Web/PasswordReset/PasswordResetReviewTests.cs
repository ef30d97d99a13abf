using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.PasswordReset;

/// <summary>
/// Trojan identifier (pre-hijacking): someone linked their own login to an account before its owner recovered
/// it. After a password reset the app takes every linked identity off the account, ends every session, and shows the
/// owner what was removed so they link back only what is theirs.
/// </summary>
public sealed class PasswordResetReviewTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    private const string AdaNewPassword = "Ada-New-Passw0rd!";
    private const string GithubId = "1234567";

    [Fact]
    public async Task A_reset_detaches_the_linked_identities_ends_every_session_and_the_owner_reviews_them()
    {
        await TenantAdmin.LinkAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub); // the trojan identity
        var owner = stack.NewBrowser();
        await owner.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var trojan = stack.NewBrowser();
        await trojan.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub));
        Assert.Equal(Seeded.AdaDatabase, await UserIdOnProfileAsync(trojan)); // the github login opens Ada's account

        await ResetAdaPasswordAsync();

        // The next profile view answers the reset: the github identity is its own user again, and this session ends.
        var answered = await owner.Http.GetAsync("/Profile");
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Contains("prompt=login", TestBrowser.RedirectTarget(answered)!.Query);
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
        Assert.Equal([Seeded.AdaGithub], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaGithub));
        // With the session's own token (update:current_user_identities): no server grant needed for it.
        var detach = Assert.Single(await stack.CallsAsync("/api/v2/users/", "DELETE"), c => c.GetProperty("path").GetString()!.EndsWith("/identities/github/" + GithubId, StringComparison.Ordinal));
        Assert.Equal("access_token", detach.GetProperty("bearer").GetProperty("kind").GetString());

        // The trojan's session is over too, and the github login now opens only the github user.
        var ended = await trojan.Http.GetAsync("/Profile");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith(stack.Url + "/authorize", TestBrowser.RedirectTarget(ended)!.ToString()); // sent to sign in
        var stranger = stack.NewBrowser();
        await stranger.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub));
        Assert.Equal(Seeded.AdaGithub, await UserIdOnProfileAsync(stranger));

        // The owner, signed in with the new password, reviews: github is listed, with a way to link it back.
        var again = stack.NewBrowser();
        await again.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, AdaNewPassword));
        var (_, review) = await again.GetPageAsync("/Profile");
        Assert.NotNull(review.QuerySelector("[data-test='review-step']"));
        Assert.NotNull(review.QuerySelector($"[data-test='review-detached-github-{GithubId}']"));
        Assert.NotNull(review.QuerySelector($"[data-test='review-relink-github-{GithubId}']"));
        Assert.Null(review.QuerySelector($"[data-test='identity-github-{GithubId}']"));

        var done = await again.FollowAsync(await again.ClickAsync(review, "/Profile", "review-done"));
        var page = HtmlForm.Parse(await done.Content.ReadAsStringAsync());
        Assert.Null(page.QuerySelector("[data-test='review-step']"));
        Assert.StartsWith("Review finished", page.QuerySelector("[data-test='status-message']")!.TextContent.Trim());
        // Answered once: the next visit neither detaches nor signs out again.
        var (later, laterPage) = await again.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Null(laterPage.QuerySelector("[data-test='review-step']"));
    }

    [Fact]
    public async Task A_reset_ends_the_sessions_from_before_it_and_refuses_links_started_before_it_was_answered()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, before) = await qa.GetPageAsync("/Profile");
        await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = "Qa-New-Passw0rd!", connection = "Username-Password-Authentication" });
        try
        {
            // Refused before any redirect to the tenant: the page's own post-redirect-get, no second login.
            var refused = await qa.ClickAsync(before, "/Profile", "link-sms");
            Assert.Equal(qa.Start("/Profile"), TestBrowser.RedirectTarget(refused));
            Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Outcome: "refused", ErrorCode: "password_reset_review" } && e.UserId == Seeded.Qa));
            // So is an unlink, whichever identity it names, before the tenant is asked to change anything.
            var token = HtmlForm.Find(before, qa.Start("/Profile"), "form[method='post']")["__RequestVerificationToken"]!;
            var unlink = await qa.Http.PostAsync("/Profile?handler=Unlink", new FormUrlEncodedContent([
                new("provider", "sms"), new("userId", "560ebaeef609ee1adaa7c551"), new("__RequestVerificationToken", token),
            ]));
            Assert.Equal(qa.Start("/Profile"), TestBrowser.RedirectTarget(unlink));
            Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "unlink", Outcome: "refused", ErrorCode: "password_reset_review" } && e.UserId == Seeded.Qa));

            // Nothing linked to detach, but the session from before the reset ends (an unexpired session)...
            var ended = await qa.Http.GetAsync("/Profile");
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.Contains("prompt=login", TestBrowser.RedirectTarget(ended)!.Query);
            Assert.Equal(HttpStatusCode.Redirect, (await qa.Http.GetAsync("/Profile")).StatusCode);

            // ...while one signed in after it, with the new password, carries on: no review, no second sign-out.
            var again = stack.NewBrowser();
            await again.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.QaEmail, "Qa-New-Passw0rd!"));
            for (var i = 0; i < 2; i++)
            {
                var (after, page) = await again.GetPageAsync("/Profile");
                Assert.Equal(HttpStatusCode.OK, after.StatusCode);
                Assert.Null(page.QuerySelector("[data-test='review-step']"));
                Assert.Equal(Seeded.Qa, page.QuerySelector("[data-test='profile-user-id']")!.TextContent);
            }
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = Seeded.QaPassword, connection = "Username-Password-Authentication" });
        }
    }

    [Fact]
    public async Task A_reset_answered_on_the_profile_signs_out_the_session_from_before_it_there_and_then()
    {
        var old = stack.NewBrowser();
        await old.SignInAsQaAsync();
        await ResetQaPasswordAsync(async () =>
        {
            // Within the session's check interval, so the profile page is what finds and answers the reset.
            var ended = await old.Http.GetAsync("/Profile");
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.DoesNotContain(old.Cookies.GetAllCookies(), c => c.Name == "ll_app_session" && !c.Expired);
            Assert.True(await old.IsSignedOutAsync());
        });
    }

    [Fact]
    public async Task A_reset_answered_on_the_profile_of_a_session_signed_in_after_it_keeps_that_session()
    {
        await ResetQaPasswordAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1)); // the new sign-in is in a later second than the reset
            var after = stack.NewBrowser();
            // The profile the sign-in lands on answers the reset (nobody did before): this session is not sent round again.
            var landed = await after.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.QaEmail, QaNewPassword));
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);

            for (var i = 0; i < 2; i++)
            {
                var (response, page) = await after.GetPageAsync("/Profile");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(Seeded.Qa, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
            }
        });
    }

    private const string QaNewPassword = "Qa-New-Passw0rd!";

    private async Task ResetQaPasswordAsync(Func<Task> then)
    {
        await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = QaNewPassword, connection = "Username-Password-Authentication" });
        try
        {
            await then();
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = Seeded.QaPassword, connection = "Username-Password-Authentication" });
        }
    }

    private Task ResetAdaPasswordAsync() =>
        TenantAdmin.PatchUserAsync(stack, Seeded.AdaDatabase, new { password = AdaNewPassword, connection = "Username-Password-Authentication" });

    private static async Task<string?> UserIdOnProfileAsync(AppBrowser browser)
    {
        var (_, page) = await browser.GetPageAsync("/Profile");
        return page.QuerySelector("[data-test='profile-user-id']")?.TextContent;
    }
}
