using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>The server-side guards around linking, whatever the page shows.</summary>
public sealed class GuardTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    // Each test starts from the seeded links even when a previous one failed half-way.
    public async ValueTask DisposeAsync()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub);
    }

    private const string SmsId = "560ebaeef609ee1adaa7c551";

    [Fact]
    public async Task Signing_in_to_another_account_than_the_suggested_one_links_nothing()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub));
        var result = await ada.LinkSuggestionAsync(TenantLoginDriver.DatabaseConnection,
            (driver, start) => driver.LoginWithPasswordAsync(start, Seeded.QaEmail, Seeded.QaPassword));
        Assert.Contains("different account", result.Status);
        Assert.Equal([Seeded.AdaGithub], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaGithub));
    }

    [Fact]
    public async Task Accepting_a_suggestion_links_the_verified_account()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var result = await ada.LinkSuggestionAsync("github", (driver, start) => driver.ContinueAsAsync(start, Seeded.AdaGithub));
        Assert.StartsWith("Your GitHub account is linked", result.Status);
        Assert.Equal([Seeded.AdaDatabase, Seeded.AdaGithub], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
        await ada.UnlinkAsync("github", "1234567");
    }

    [Fact]
    public async Task An_unverified_account_is_never_suggested_nor_linked_by_suggestion()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var (_, profile) = await ada.GetPageAsync("/Profile");
        Assert.NotNull(AppBrowser.SuggestionOn(profile, "github"));
        Assert.Null(AppBrowser.SuggestionOn(profile, "facebook"));

        // Posted by hand, naming the account by its user id (all a forger knows): refused like a handle never offered.
        var forged = await ada.ClickAsync(profile, "/Profile", "link-facebook",
            form => form.Set("suggestion", Seeded.AdaFacebookUnverified));
        var landed = await LinkResult.ReadAsync(await ada.FollowAsync(forged), null, null);
        Assert.Contains("no longer suggested for you", landed.Status);
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
    }

    [Theory]
    [InlineData(UnlinkFlows.AccessToken)]
    [InlineData(UnlinkFlows.ServerToken)]
    [InlineData(UnlinkFlows.LegacyIdToken)]
    [InlineData(UnlinkFlows.LegacyUnlinkEndpoint)]
    public async Task The_primary_identity_can_never_be_unlinked(string flow)
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(FlagNames.UnlinkFlow, flow);

        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var (_, profile) = await john.GetPageAsync("/Profile");
        Assert.Null(profile.QuerySelector("[data-test='unlink-google-oauth2-115015401343387192604']"));
        var result = await john.PostUnlinkAsync("google-oauth2", "115015401343387192604");
        Assert.Equal(flow, result.Flow);
        Assert.Equal("Error: This is the account you sign in with, so it cannot be unlinked. You can unlink any of the other accounts listed.", result.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task Another_users_identity_cannot_be_unlinked()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        await ada.LinkSuggestionAsync("github", (driver, start) => driver.ContinueAsAsync(start, Seeded.AdaGithub));

        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var result = await john.PostUnlinkAsync("github", "1234567");
        Assert.Equal("Error: That account is not linked to yours (it may have been unlinked already). Nothing was unlinked. Reload the page to see the accounts linked now.", result.Status);
        Assert.Equal([Seeded.AdaDatabase, Seeded.AdaGithub], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
        await ada.UnlinkAsync("github", "1234567");
    }

    [Theory]
    [InlineData("/Profile?handler=Link", "connection=sms")]
    [InlineData("/Profile?handler=Unlink", "provider=sms&userId=560ebaeef609ee1adaa7c551")]
    [InlineData("/Profile?handler=Review", "")]
    [InlineData("/Qa/Flags?handler=Global", "flag=LinkFlow&value=ServerToken")]
    [InlineData("/Qa/Flags?handler=ConfirmGlobal", "flag=LinkFlow&value=ServerToken")]
    [InlineData("/Qa/Flags?handler=ClearGlobal", "flag=LinkFlow")]
    [InlineData("/Qa/Flags?handler=Session", "flag=LinkFlow&value=ServerToken")]
    [InlineData("/Qa/Flags?handler=ClearSession", "flag=LinkFlow")]
    [InlineData("/Account/Logout", "")]
    [InlineData("/Account/Logout?handler=Everywhere", "")]
    public async Task Every_post_needs_the_antiforgery_token(string path, string body)
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var response = await qa.Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_link_callback_replayed_or_delivered_to_another_session_links_nothing()
    {
        var (john, callback) = await JohnSignedInToTheSmsAccountAsync();

        // Delivered to another signed-in browser (Ada): nothing linked to anyone, nothing said (it is no attempt of hers).
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var elsewhere = await LinkResult.ReadAsync(await ada.FollowAsync(await ada.Http.GetAsync(callback)), null, null);
        Assert.Null(elsewhere.Status);
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));

        // Delivered where it belongs: linked once; replaying the same callback does nothing more.
        var first = await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync(callback)), null, null);
        Assert.StartsWith("Your Phone account is linked", first.Status);
        await john.UnlinkAsync("sms", SmsId);
        var replay = await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync(callback)), null, null);
        Assert.Null(replay.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task The_link_callback_only_stashes_and_its_result_is_finished_once_in_the_browser_it_came_back_to()
    {
        var (john, tenantRedirect) = await JohnSignedInToTheSmsAccountAsync();
        var callback = await john.Http.GetAsync(tenantRedirect);

        // The callback links nothing itself: it names the flow and sends the browser to the profile page's finish,
        // whose URL carries only the attempt's id (never a token).
        Assert.Equal(LinkFlows.AccessToken, callback.Headers.GetValues("X-Linking-Flow").Single());
        var finish = TestBrowser.RedirectTarget(callback)!;
        Assert.Equal("/Profile", finish.AbsolutePath);
        Assert.StartsWith("?handler=LinkCallback&attempt=", finish.Query);
        Assert.False(Jwt.AppearsIn(finish.ToString()));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));

        // Another signed-in browser opening that finish finds nothing to finish, and is told nothing.
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var elsewhere = await LinkResult.ReadAsync(await ada.FollowAsync(await ada.Http.GetAsync(finish)), null, null);
        Assert.Null(elsewhere.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));

        // In the browser it came back to: linked once, with the flow named; a second time finds nothing.
        var finished = await john.Http.GetAsync(finish);
        Assert.Equal(LinkFlows.AccessToken, finished.Headers.GetValues("X-Linking-Flow").Single());
        var first = await LinkResult.ReadAsync(await john.FollowAsync(finished), null, null);
        Assert.StartsWith("Your Phone account is linked", first.Status);
        await john.UnlinkAsync("sms", SmsId);
        var again = await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync(finish)), null, null);
        Assert.Null(again.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    /// <summary>John starts linking the sms account (AccessToken flow) and signs in to it: the tenant's redirect to the link callback, not yet followed.</summary>
    private async Task<(AppBrowser John, Uri Callback)> JohnSignedInToTheSmsAccountAsync()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(FlagNames.LinkFlow, LinkFlows.AccessToken);

        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var (_, profile) = await john.GetPageAsync("/Profile");
        var authorize = TestBrowser.RedirectTarget(await john.ClickAsync(profile, "/Profile", "link-sms"))!;
        var step = await john.Tenant.LoginWithSmsAsync(authorize, Seeded.JohnSmsPhone);
        return (john, step.RedirectTarget!);
    }
}
