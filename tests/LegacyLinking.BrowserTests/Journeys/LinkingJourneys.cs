using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>The personas in Chromium: an end user links and unlinks; a user accepts a suggestion; QA compares flows.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LinkingJourneys(ChromiumFixture chromium) : IAsyncLifetime
{
    private readonly AppStackFixture _stack = new();

    public ValueTask InitializeAsync() => _stack.InitializeAsync();
    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    private async Task<IPage> SignInAsync(Func<IPage, Task> atTenant)
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(_stack.AppUrl + "/Profile");
        await atTenant(page);
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        return page;
    }

    [Fact]
    public async Task An_end_user_links_their_sms_account_and_unlinks_it()
    {
        var page = await SignInAsync(p => p.ClickAsync($"[data-test='continue-as-{Seeded.John}']"));

        await page.ClickAsync("[data-test='link-sms']");
        await page.SignInWithSmsAsync(Seeded.JohnSmsPhone);
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your Phone account is linked", await page.TextContentAsync("[data-test='status-message']"));
        Assert.True(await page.IsVisibleAsync("[data-test='identity-sms-560ebaeef609ee1adaa7c551']"));
        Assert.Equal("John Doe", await page.TextContentAsync("[data-test='profile-name']")); // still the primary's session

        await page.ClickAsync("[data-test='unlink-sms-560ebaeef609ee1adaa7c551']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your Phone account is unlinked", await page.TextContentAsync("[data-test='status-message']"));
        Assert.False(await page.IsVisibleAsync("[data-test='identity-sms-560ebaeef609ee1adaa7c551']"));
    }

    [Fact]
    public async Task A_user_accepts_a_suggested_account()
    {
        var page = await SignInAsync(async p =>
        {
            var database = p.Locator("[data-test='connection-Username-Password-Authentication']");
            await database.Locator("[data-test='email']").FillAsync(Seeded.AdaEmail);
            await database.Locator("[data-test='password']").FillAsync(Seeded.AdaPassword);
            await database.Locator("[data-test='submit']").ClickAsync();
        });
        // Suggestions are named by a handle of this session; the page shows the connection and the masked email only.
        var github = page.Locator("li[data-test^='suggestion-']", new() { HasText = "github · a**@example.com" });
        Assert.Equal(1, await github.CountAsync());
        Assert.Equal(0, await page.Locator("li[data-test^='suggestion-']", new() { HasText = "facebook" }).CountAsync());
        Assert.DoesNotContain("1234567", await page.ContentAsync());

        await github.Locator("[data-test^='link-suggestion-']").ClickAsync();
        await page.ClickAsync($"[data-test='continue-as-{Seeded.AdaGithub}']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your GitHub account is linked", await page.TextContentAsync("[data-test='status-message']"));
        Assert.True(await page.IsVisibleAsync("[data-test='identity-github-1234567']"));
        Assert.Equal(0, await page.Locator("li[data-test^='suggestion-']").CountAsync());
    }

    [Fact]
    public async Task After_a_password_reset_the_owner_reviews_the_removed_account_and_links_it_back()
    {
        await TenantAdmin.LinkAsync(_stack, Seeded.AdaDatabase, Seeded.AdaGithub);
        var page = await SignInAsync(p => p.SignInWithPasswordAsync(Seeded.AdaEmail, Seeded.AdaPassword));
        Assert.True(await page.IsVisibleAsync("[data-test='identity-github-1234567']"));

        const string newPassword = "Ada-New-Passw0rd!";
        await TenantAdmin.PatchUserAsync(_stack, Seeded.AdaDatabase, new { password = newPassword, connection = "Username-Password-Authentication" });
        await page.GotoAsync(_stack.AppUrl + "/Profile");
        await page.ArriveAtAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(_stack.Url)));
        await page.SignInWithPasswordAsync(Seeded.AdaEmail, newPassword);
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your password was reset", await page.TextContentAsync("[data-test='status-message']"));
        Assert.True(await page.IsVisibleAsync("[data-test='review-step']"));
        Assert.False(await page.IsVisibleAsync("[data-test='identity-github-1234567']"));

        await page.ClickAsync("[data-test='review-relink-github-1234567']");
        await page.ClickAsync($"[data-test='continue-as-{Seeded.AdaGithub}']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your GitHub account is linked", await page.TextContentAsync("[data-test='status-message']"));
        Assert.True(await page.IsVisibleAsync("[data-test='identity-github-1234567']"));

        await page.ClickAsync("[data-test='review-done']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Review finished", await page.TextContentAsync("[data-test='status-message']"));
        Assert.False(await page.IsVisibleAsync("[data-test='review-step']"));
        Assert.True(await page.IsVisibleAsync("[data-test='identity-github-1234567']"));
    }

    [Fact]
    public async Task QA_switches_the_link_flow_for_their_session_and_links_through_both()
    {
        var page = await SignInAsync(async p =>
        {
            var database = p.Locator("[data-test='connection-Username-Password-Authentication']");
            await database.Locator("[data-test='email']").FillAsync(Seeded.QaEmail);
            await database.Locator("[data-test='password']").FillAsync(Seeded.QaPassword);
            await database.Locator("[data-test='submit']").ClickAsync();
        });
        Assert.Contains("link: LegacyIdToken", await page.TextContentAsync("[data-test='flow-badge']"));

        await LinkSmsAsync(page, "+15550000001");
        Assert.Equal("LegacyIdToken", await page.TextContentAsync("[data-test='last-flow']"));
        await page.ClickAsync("[data-test^='unlink-sms-']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");

        await page.GotoAsync(_stack.AppUrl + "/Qa/Flags");
        await page.SelectOptionAsync("[data-test='flag-LinkFlow']", "AccessToken");
        await page.ClickAsync("[data-test='apply-session-LinkFlow']");
        Assert.Equal("AccessToken", await page.TextContentAsync("[data-test='effective-LinkFlow']"));
        Assert.Contains("link: AccessToken", await page.TextContentAsync("[data-test='flow-badge']"));

        await page.GotoAsync(_stack.AppUrl + "/Profile");
        await LinkSmsAsync(page, "+15550000001");
        Assert.Equal("AccessToken", await page.TextContentAsync("[data-test='last-flow']"));
        var flows = await page.Locator("[data-test='attempt-row'] td:nth-child(3)").AllTextContentsAsync();
        Assert.Contains("AccessToken", flows);
        Assert.Contains("LegacyIdToken", flows);

        // Both flows on the migration page: in the summary, in the chart, and in the event list.
        // The recorder's writer lets a batch fill for a second before it stores it: wait for both links to land.
        Assert.NotEmpty(await _stack.EventsAsync(e => e is { Operation: "link", Outcome: "ok", Flow: "LegacyIdToken" }));
        Assert.NotEmpty(await _stack.EventsAsync(e => e is { Operation: "link", Outcome: "ok", Flow: "AccessToken" }));
        await page.ClickAsync("[data-test='nav-migration']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Migration");
        Assert.True(await page.IsVisibleAsync("[data-test='summary-link-LegacyIdToken']"));
        Assert.True(await page.IsVisibleAsync("[data-test='summary-link-AccessToken']"));
        Assert.Equal(1, await page.Locator("[data-test='share-chart-link'] rect.legacy[height]:not([height='0'])").CountAsync());
        Assert.Equal(1, await page.Locator("[data-test='share-chart-link'] rect.current[height]:not([height='0'])").CountAsync());
        await page.SelectOptionAsync("[data-test='filter-flow']", "AccessToken");
        await page.ClickAsync("[data-test='filter-apply']");
        var rows = await page.Locator("[data-test='event-row'] td:nth-child(3)").AllTextContentsAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, flow => Assert.Equal("AccessToken", flow));
    }

    private async Task LinkSmsAsync(IPage page, string phone)
    {
        await page.ClickAsync("[data-test='link-sms']");
        await page.SignInWithSmsAsync(phone);
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your Phone account is linked", await page.TextContentAsync("[data-test='status-message']"));
    }
}
