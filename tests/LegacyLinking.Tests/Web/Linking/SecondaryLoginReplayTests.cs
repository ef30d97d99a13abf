using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The second account's login links only as the answer to the attempt it was started for, once, and never links the
/// signed-in account to itself. Its ID token reaches the app only by redeeming that login's code, so a replay is a
/// replayed callback or its code delivered to another attempt; a token minted for another attempt (wrong nonce) or
/// another client is <see cref="MutatedTokenTests"/>'s.
/// </summary>
public sealed class SecondaryLoginReplayTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    public static TheoryData<string, string> FlowsAndTheirAnswer => new()
    {
        { LinkFlows.AccessToken, "Error: You signed in to the account you are already using. Nothing was linked. To link another account, sign in to that other account when asked." },
        { LinkFlows.ServerToken, "Error: You signed in to the account you are already using. Nothing was linked. To link another account, sign in to that other account when asked." },
        { LinkFlows.LegacyIdToken, "Error: You signed in to the account you are already using. Nothing was linked. To link another account, sign in to that other account when asked." },
        // The tenant itself declines to link an account into itself; the app reads that nothing was linked.
        { LinkFlows.LegacyAuthorize, "Error: The sign-in finished but the account was not linked. Try again in a moment; if it keeps happening, tell your administrator." },
    };

    [Theory]
    [MemberData(nameof(FlowsAndTheirAnswer))]
    public async Task Signing_in_to_the_primary_itself_links_nothing(string flow, string answer)
    {
        await stack.UseFlowsAsync(flow, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.ResetAsync();

        var result = await john.LinkAsync("link-google-oauth2", (driver, start) => driver.ContinueAsAsync(start, Seeded.John));

        Assert.Equal(answer, result.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.DoesNotContain(await stack.CallsAsync("/api/v2/users", "POST"), c => c.GetProperty("path").GetString()!.EndsWith("/identities"));
        Assert.Equal("John Doe", result.Page.QuerySelector("[data-test='current-user']")?.TextContent); // still John's session
    }

    [Fact]
    public async Task A_used_secondary_login_links_nothing_when_replayed_or_carried_into_a_new_attempt()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        // A legitimate link; its callback (the code that yields the sms account's ID token, and its state) is kept.
        var first = await john.Tenant.LoginWithSmsAsync(await john.StartLinkAsync(), Seeded.JohnSmsPhone);
        var used = first.RedirectTarget!;
        Assert.StartsWith("Your Phone account is linked", (await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync(used)), null, null)).Status);
        await john.UnlinkAsync("sms", SmsId);
        await stack.Controls.ResetAsync();

        // The same callback again: no attempt of this session answers it any more.
        var replayed = await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync(used)), null, null);
        Assert.Null(replayed.Status);

        // Its code under the state of a new attempt: the tenant does not redeem a code twice (nor for another PKCE verifier).
        var newState = QueryHelpers.ParseQuery((await john.StartLinkAsync()).Query)["state"].Single();
        var query = QueryHelpers.ParseQuery(used.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        query["state"] = newState;
        var carried = await LinkResult.ReadAsync(await john.FollowAsync(await john.Http.GetAsync(QueryHelpers.AddQueryString(used.GetLeftPart(UriPartial.Path), query))), null, null);
        Assert.StartsWith("Error: That sign-in could not be used for a link", carried.Status);

        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.DoesNotContain(await stack.CallsAsync("/api/v2/users", "POST"), c => c.GetProperty("path").GetString()!.EndsWith("/identities"));
    }

    [Fact]
    public async Task A_second_accounts_login_that_comes_back_after_the_browser_signed_out_and_in_again_links_nothing()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var authorize = await john.StartLinkAsync();

        // The link is left at the tenant's login page; the browser signs out, and in again, before it is finished there.
        var (_, profile) = await john.GetPageAsync("/Profile");
        await john.Http.GetAsync(TestBrowser.RedirectTarget(await john.ClickAsync(profile, "/Profile", "logout")));
        await john.SignInAsJohnAsync();
        var login = await john.Tenant.LoginWithSmsAsync(authorize, Seeded.JohnSmsPhone);
        var callback = await login.DeliverAsync(john.Http);

        // A valid login of an attempt the new session never started: to the profile as it is, nothing to finish there.
        Assert.Equal("/Profile", TestBrowser.RedirectTarget(callback)!.PathAndQuery);
        Assert.Null((await LinkResult.ReadAsync(await john.FollowAsync(callback), null, null)).Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }
}
