using System.Text;
using System.Text.RegularExpressions;
using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.QaConsole;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>
/// Every page of the app in the states its users meet it — signed out, signed in, after a link and after a failure,
/// unverified, with suggestions, the QA console and the migration page, the error, sign-in and outage pages — checked by
/// axe-core (WCAG 2.1 AA and its landmark and heading practices) and for a visible focus on every keyboard stop.
/// Each journey collects every problem it meets and reports them together.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityJourneys(ChromiumFixture chromium, AppStackWithTestControls stack)
    : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";
    private readonly StringBuilder _problems = new();

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        await stack.Controls.ResetAsync();
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
    }

    private async Task CheckAsync(IPage page, string state) => _problems.Append(await page.AccessibilityProblemsAsync(state));

    private void AssertNoProblems() => Assert.True(_problems.Length == 0, "Accessibility problems:\n" + _problems);

    private async Task<IPage> SignInAsync(Func<IPage, Task> atTenant, string path = "/Profile")
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(stack.AppUrl + path);
        await atTenant(page);
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(stack.AppUrl + path)));
        return page;
    }

    private Task<IPage> SignInAsJohnAsync() => SignInAsync(p => p.ClickAsync($"[data-test='continue-as-{Seeded.John}']"));

    [Fact]
    public async Task Signed_out_pages_error_pages_and_the_sign_in_page()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(stack.AppUrl + "/");
        await CheckAsync(page, "home, signed out");
        await page.GotoAsync(stack.AppUrl + "/no-such-page");
        await CheckAsync(page, "not found");
        await page.GotoAsync(stack.AppUrl + "/Account/SignInFailed?error=access_denied");
        await CheckAsync(page, "sign-in failed");
        await page.GotoAsync(stack.AppUrl + "/");
        await page.ClickAsync("[data-test='login']");
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(stack.Url)));
        await CheckAsync(page, "the tenant's sign-in page");
        AssertNoProblems();
    }

    [Fact]
    public async Task An_end_user_signed_in_after_a_link_after_a_failure_and_while_the_tenant_is_down()
    {
        var page = await SignInAsJohnAsync();
        await CheckAsync(page, "profile");
        await page.GotoAsync(stack.AppUrl + "/");
        await CheckAsync(page, "home, signed in");
        await page.GotoAsync(stack.AppUrl + "/Account/Logout");
        await CheckAsync(page, "sign out, signed in");
        await page.GotoAsync(stack.AppUrl + "/Qa/Flags");
        await CheckAsync(page, "access denied");

        await page.GotoAsync(stack.AppUrl + "/Profile");
        await page.ClickAsync("[data-test='link-sms']");
        await page.RequestSmsCodeAsync(Seeded.JohnSmsPhone);
        await CheckAsync(page, "the tenant's code page");
        await page.EnterSmsCodeAsync();
        await page.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.True(await page.IsVisibleAsync($"[data-test='identity-sms-{SmsId}']"));
        await CheckAsync(page, "profile after a link");
        await page.ClickAsync($"[data-test='details-sms-{SmsId}'] summary");
        await page.ClickAsync("[data-test='account-details'] summary");
        Assert.True(await page.IsVisibleAsync("[data-test='profile-user-id']"));
        await CheckAsync(page, "profile with an account's details open");
        await Screenshots.SaveAsync(page, "profile");

        await stack.Controls.AddFaultAsync(new { route = "DELETE /api/v2/users/*/identities/*/*", status = 500, count = 1 });
        await page.ClickAsync($"[data-test='unlink-sms-{SmsId}']");
        await page.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.StartsWith("Error", await page.TextContentAsync("[data-test='status-message']"));
        await CheckAsync(page, "profile after a failed unlink");

        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 503, count = 10 });
        await page.GotoAsync(stack.AppUrl + "/Profile");
        Assert.True(await page.IsVisibleAsync("[data-test='error']"));
        await CheckAsync(page, "profile while the tenant is down");
        AssertNoProblems();
    }

    [Fact]
    public async Task A_user_with_suggestions_and_a_new_unverified_user()
    {
        var ada = await SignInAsync(p => p.SignInWithPasswordAsync(Seeded.AdaEmail, Seeded.AdaPassword));
        Assert.True(await ada.IsVisibleAsync($"[data-test^='suggestion-']"));
        await CheckAsync(ada, "profile with suggestions");

        var grace = await chromium.NewPageAsync();
        await grace.GotoAsync(stack.AppUrl + "/Profile");
        await grace.SignUpAsync($"grace-{Guid.NewGuid():N}@example.com", "Grace-Passw0rd!");
        await grace.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.True(await grace.IsVisibleAsync("[data-test='email-unverified']"));
        Assert.True(await grace.IsVisibleAsync("[data-test='verify-first']"));
        await CheckAsync(grace, "profile, email not verified");
        await grace.ClickAsync("[data-test='send-verification']");
        await grace.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.StartsWith("We sent a verification email", await grace.TextContentAsync("[data-test='status-message']"));
        await CheckAsync(grace, "profile, verification email sent");
        AssertNoProblems();
    }

    [Fact]
    public async Task QA_pages_with_changes_and_events()
    {
        var page = await SignInAsync(p => p.SignInWithPasswordAsync(Seeded.QaEmail, Seeded.QaPassword), "/Qa/Flags");
        await page.SelectOptionAsync("[data-test='flag-LinkFlow']", "AccessToken");
        await page.ClickAsync("[data-test='apply-session-LinkFlow']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");
        await CheckAsync(page, "QA console after a change");

        // A change for everyone, on its confirmation step, then cleared again (confirmed the same way).
        await page.SelectOptionAsync("[data-test='flag-MergeMetadata']", "off");
        await page.ClickAsync("[data-test='apply-global-MergeMetadata']");
        await page.WaitForSelectorAsync("[data-test='confirm-global-step']");
        await CheckAsync(page, "QA console, confirming a change for everyone");
        await page.ClickAsync("[data-test='confirm-global']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");
        await CheckAsync(page, "QA console with an override for everyone");
        await Screenshots.SaveAsync(page, "qa-console");
        await page.ClickAsync("[data-test='clear-global-MergeMetadata']");
        await page.WaitForSelectorAsync("[data-test='confirm-global-step']");
        await CheckAsync(page, "QA console, confirming clearing for everyone");
        await page.ClickAsync("[data-test='confirm-global']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");

        // The change log over several pages, on its second.
        await QaChangeLog.AddChangesAsync(stack, 2 * FlagConsole.AuditPageSize);
        await page.GotoAsync(stack.AppUrl + "/Qa/Flags?changes=2");
        Assert.Equal("page", await page.GetAttributeAsync("[data-test='audit-page-2']", "aria-current"));
        await CheckAsync(page, "QA console, change log page 2");

        await page.GotoAsync(stack.AppUrl + "/Profile");
        await page.ClickAsync("[data-test='link-sms']");
        await page.SignInWithSmsAsync("+15550000077");
        await page.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.True(await page.IsVisibleAsync("[data-test='recent-attempts']"));
        Assert.True(await page.IsVisibleAsync("[data-test='status-detail']"));
        await CheckAsync(page, "profile as QA, after a link");

        await stack.EventsAsync(e => e is { Operation: "link", Outcome: "ok" });
        await page.GotoAsync(stack.AppUrl + "/Migration");
        await CheckAsync(page, "migration page");
        await Screenshots.SaveAsync(page, "migration");
        AssertNoProblems();
    }

    [Fact]
    public async Task The_outage_page()
    {
        var page = await SignInAsync(p => p.SignInWithPasswordAsync(Seeded.QaEmail, Seeded.QaPassword), "/Qa/Flags");
        // Another process's write lock on the app's file, as in the outage tests; unpooled, so closing it really lets go
        // (a pooled connection kept the lock for the journeys after this one).
        await using (var other = new SqliteConnection($"Data Source={Path.Combine(stack.DataDirectory, "app.db")};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }
            await page.SelectOptionAsync("[data-test='flag-ShadowCheck']", "off");
            await page.ClickAsync("[data-test='apply-global-ShadowCheck']");
            await page.ClickAsync("[data-test='confirm-global']");
            await page.WaitForSelectorAsync("[data-test='outage']");
            await CheckAsync(page, "outage page");
        }
        AssertNoProblems();
    }
}
