using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The suggestion list shows a connection and a masked email, never the candidate's <c>user_id</c>: a suggestion is
/// named by a handle that only the browser session it was handed to can use.
/// </summary>
public sealed class SuggestionHandleTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub);

    [Fact]
    public async Task The_page_holds_no_candidate_id_and_a_handle_means_nothing_in_another_browser()
    {
        var ada = await SignedInAdaAsync();
        var (_, profile) = await ada.GetPageAsync("/Profile");
        var html = profile.DocumentElement.OuterHtml;
        var handle = AppBrowser.SuggestionOn(profile, "github");
        Assert.NotNull(handle);
        Assert.DoesNotContain("1234567", html); // github|1234567, in any attribute, hook or text
        Assert.DoesNotContain("1234567", handle);

        // The same account in another browser gets a handle of its own; the first browser's is refused there.
        var other = await SignedInAdaAsync();
        Assert.NotEqual(handle, await other.SuggestionAsync("github"));
        var (_, otherProfile) = await other.GetPageAsync("/Profile");
        var elsewhere = await other.ClickAsync(otherProfile, "/Profile", "link-github", form => form.Set("suggestion", handle!));
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.True(TestBrowser.SameOrigin(TestBrowser.RedirectTarget(elsewhere)!, other.Start("/")), "sent to the tenant's login");
        Assert.Equal("Error: That account is no longer suggested for you. Nothing was linked. Reload the page and choose from the list.", (await LinkResult.ReadAsync(await other.FollowAsync(elsewhere), null, null)).Status);

        // In the browser it was handed to, it links exactly that account.
        var linked = await ada.LinkAsync($"link-suggestion-{handle}", (driver, start) => driver.ContinueAsAsync(start, Seeded.AdaGithub));
        Assert.StartsWith("Your GitHub account is linked", linked.Status);
    }

    private async Task<AppBrowser> SignedInAdaAsync()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        return ada;
    }
}
