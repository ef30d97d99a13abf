using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The guards that run before a link goes to the tenant, or an unlink reads it, for requests the page never offers but a
/// user crafting posts by hand (with the browser's own antiforgery token) can send: the server refuses them, whatever
/// the page showed, and the browser is never sent to the tenant's login.
/// </summary>
public sealed class LinkStartGuardTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("evil-oidc")]
    [InlineData("GitHub")]
    public async Task A_link_of_a_connection_not_offered_is_refused_before_the_tenant(string? connection)
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        var landed = await PostLinkAsync(john, connection, null);

        Assert.Equal("Error: That kind of account cannot be linked here. Nothing was linked. Choose one of the buttons under \"Link another account\".", landed.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_user_whose_email_is_not_verified_cannot_start_a_link_by_hand()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaFacebookUnverified));

        var landed = await PostLinkAsync(ada, "github", null);

        Assert.Equal("Error: Linking needs a verified email address, so nothing was linked. Open the link in the verification email we sent you "
            + "(or send it again from this page), then link the account.", landed.Status);
        Assert.Equal([Seeded.AdaFacebookUnverified], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaFacebookUnverified));
    }

    [Fact]
    public async Task A_suggestion_posted_under_another_connection_is_refused()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var handle = await ada.SuggestionAsync("github");
        Assert.NotNull(handle);

        // The github account's handle with the sms connection: the sign-in asked for would not be of the account chosen.
        var landed = await PostLinkAsync(ada, "sms", handle);

        Assert.Equal("Error: That kind of account cannot be linked here. Nothing was linked. Choose one of the buttons under \"Link another account\".", landed.Status);
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
    }

    [Fact]
    public async Task A_suggested_link_asks_the_tenant_to_sign_in_that_accounts_email()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var (_, profile) = await ada.GetPageAsync("/Profile");
        var handle = AppBrowser.SuggestionOn(profile, "github");
        Assert.NotNull(handle);

        var authorize = TestBrowser.RedirectTarget(await ada.ClickAsync(profile, "/Profile", $"link-suggestion-{handle}"))!;

        Assert.Contains($"login_hint={Uri.EscapeDataString(Seeded.AdaEmail)}", authorize.Query);
        Assert.Contains("connection=github", authorize.Query);
    }

    [Theory]
    [InlineData("", "560ebaeef609ee1adaa7c551")]
    [InlineData("sms", " ")]
    [InlineData("sms", "560ebaeef609ee1adaa7c551\n")]
    [InlineData("sms", null)]
    public async Task An_unlink_of_a_malformed_identity_is_refused_before_the_tenant_is_read(string provider, string? userId)
    {
        var since = DateTime.UtcNow;
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        var result = await john.PostUnlinkAsync(provider, userId ?? new string('5', 257));

        Assert.Equal("Error: That account is not linked to yours (it may have been unlinked already). Nothing was unlinked. Reload the page to see the accounts linked now.", result.Status);
        // Told like an identity not linked, but recorded as refused on its form, before any read of the tenant.
        var refused = await stack.EventsAsync(e => e.At >= since && e.Operation == "unlink" && e.UserId == Seeded.John);
        Assert.Equal(("refused", "invalid_identity"), (refused.Single().Outcome, refused.Single().ErrorCode));
    }

    [Fact]
    public async Task An_identity_id_of_exactly_the_longest_length_is_read_from_the_tenant()
    {
        var since = DateTime.UtcNow;
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        await john.PostUnlinkAsync("sms", new string('5', 256));

        var refused = await stack.EventsAsync(e => e.At >= since && e.Operation == "unlink" && e.UserId == Seeded.John);
        Assert.Equal(("refused", "not_your_identity"), (refused.Single().Outcome, refused.Single().ErrorCode));
    }

    /// <summary>Posts the link form by hand with this browser's own antiforgery token; the browser must stay in the app.</summary>
    private static async Task<LinkResult> PostLinkAsync(AppBrowser browser, string? connection, string? suggestion)
    {
        var (_, profile) = await browser.GetPageAsync("/Profile");
        var token = HtmlForm.Find(profile, browser.Start("/Profile"), "form[method='post']")["__RequestVerificationToken"]!;
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
        if (connection is not null) fields.Add(new("connection", connection));
        if (suggestion is not null) fields.Add(new("suggestion", suggestion));
        var response = await browser.Http.PostAsync("/Profile?handler=Link", new FormUrlEncodedContent(fields));
        var target = TestBrowser.RedirectTarget(response);
        Assert.True(target is null || TestBrowser.SameOrigin(target, browser.Start("/")), $"sent to {target}");
        return await LinkResult.ReadAsync(await browser.FollowAsync(response), null, null);
    }
}
