using System.Text;
using System.Text.RegularExpressions;
using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>
/// The guarded ramp's page in a real browser, driven by keyboard-reachable labelled fields: reached from the QA nav,
/// a plan saved and started, each state checked by axe-core (WCAG 2.1 AA) and for a visible focus, and the migration
/// page's ramp timeline likewise.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RampJourneys(ChromiumFixture chromium, AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private readonly StringBuilder _problems = new();

    private async Task CheckAsync(IPage page, string state) => _problems.Append(await page.AccessibilityProblemsAsync(state));

    [Fact]
    public async Task QA_plans_and_starts_a_ramp_on_an_accessible_page()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(stack.AppUrl + "/Qa/Flags");
        await page.SignInWithPasswordAsync(Seeded.QaEmail, Seeded.QaPassword);
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(stack.AppUrl + "/Qa/Flags")));
        await page.ClickAsync("[data-test='nav-ramp']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Ramp");
        await CheckAsync(page, "ramp page, no plan");

        await page.GetByLabel("Move from").First.SelectOptionAsync("LegacyIdToken");
        await page.FillAsync("[data-test='steps-link']", "1, 5, 25, 50, 100");
        await page.FillAsync("[data-test='why-save-link']", "the agreed plan");
        await page.ClickAsync("[data-test='save-link']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Ramp");
        Assert.StartsWith("Plan saved: LegacyIdToken → AccessToken", await page.TextContentAsync("[data-test='status-message']"));
        await CheckAsync(page, "ramp page, plan saved");

        await page.FillAsync("[data-test='why-control-link']", "go");
        await page.ClickAsync("[data-test='control-link-start']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Ramp");
        Assert.Equal("1", await page.TextContentAsync("[data-test='ramp-percent-link']"));
        Assert.True(await page.IsVisibleAsync("[data-test='ramp-numbers-link']"));
        await CheckAsync(page, "ramp page, running with its history");

        await page.GotoAsync(stack.AppUrl + "/Migration");
        Assert.True(await page.IsVisibleAsync("[data-test='ramp-history']"));
        await CheckAsync(page, "migration page with the ramp timeline");
        Assert.True(_problems.Length == 0, "Accessibility problems:\n" + _problems);
    }
}
