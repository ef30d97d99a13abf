using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.QaConsole;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>
/// The QA console laid out in a desktop window (1280 px) and a phone-sized one (400 px): nothing runs off the side of
/// the page, and each row of override buttons stays on one line where there is room for it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QaConsoleLayoutJourneys(ChromiumFixture chromium, AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(400, 800)]
    public async Task The_console_fits_the_window_and_keeps_its_buttons_together(int width, int height)
    {
        var page = await chromium.NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync(stack.AppUrl + "/Qa/Flags");
        await page.SignInWithPasswordAsync(Seeded.QaEmail, Seeded.QaPassword);
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");
        // Both clear buttons on one flag, the widest the override column gets.
        await page.SelectOptionAsync("[data-test='flag-LinkFlow']", "ServerToken");
        await page.ClickAsync("[data-test='apply-session-LinkFlow']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");
        await page.SelectOptionAsync("[data-test='flag-LinkFlow']", "AccessToken");
        await page.ClickAsync("[data-test='apply-global-LinkFlow']");
        await page.WaitForSelectorAsync("[data-test='confirm-global-step']");
        await ScreenshotAsync(page, $"qa-confirm-{width}");
        var confirmProblems = await LayoutProblemsAsync(page);
        Assert.True(confirmProblems.Length == 0, $"The confirmation step at {width} px:\n" + string.Join("\n", confirmProblems));
        await page.ClickAsync("[data-test='confirm-global']");
        await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");
        await QaChangeLog.AddChangesAsync(stack, 2 * FlagConsole.AuditPageSize);
        try
        {
            await page.ReloadAsync();
            await ScreenshotAsync(page, $"qa-console-{width}");
            var problems = await LayoutProblemsAsync(page);
            Assert.True(problems.Length == 0, $"At {width} px:\n" + string.Join("\n", problems));
            if (width >= 1280)
            {
                // On a desktop the three parts of a flag sit side by side, not stacked.
                var configured = await page.Locator("[data-test='flag-row-LinkFlow'] .flag-configured").BoundingBoxAsync();
                var overrides = await page.Locator("[data-test='flag-row-LinkFlow'] .flag-override").BoundingBoxAsync();
                Assert.Equal(configured!.Y, overrides!.Y, 1.0);
            }
        }
        finally
        {
            await page.GotoAsync(stack.AppUrl + "/Qa/Flags");
            await page.ClickAsync("[data-test='clear-global-LinkFlow']");
            await page.ClickAsync("[data-test='confirm-global']");
            await page.ArriveAtAsync(stack.AppUrl + "/Qa/Flags");
        }
    }

    /// <summary>To look at the layout by eye: QA_LAYOUT_SCREENSHOTS=&lt;folder&gt;.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("QA_LAYOUT_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>What runs off the side of the window, or breaks a row of buttons that has room for them.</summary>
    private static Task<string[]> LayoutProblemsAsync(IPage page) => page.EvaluateAsync<string[]>("""
                () => {
                  const problems = [];
                  const root = document.documentElement;
                  if (root.scrollWidth > root.clientWidth) {
                    const past = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > root.clientWidth + 1
                      && ![...e.children].some(c => c.getBoundingClientRect().right > root.clientWidth + 1));
                    problems.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window: ` + past.slice(0, 4).map(e => `${e.tagName.toLowerCase()}.${e.className}`).join(', '));
                  }
                  for (const row of document.querySelectorAll('.flag-override .button-row, .confirm .button-row')) {
                    const shown = [...row.children].filter(b => b.getBoundingClientRect().width > 0);
                    const tops = new Set(shown.map(b => Math.round(b.getBoundingClientRect().top)));
                    const fits = shown.reduce((w, b) => w + b.getBoundingClientRect().width, 0) < row.getBoundingClientRect().width;
                    if (tops.size > 1 && fits) problems.push(`buttons wrap although they fit: ${row.textContent.trim().replace(/\s+/g, ' ')}`);
                    for (const b of row.querySelectorAll('button, .button'))
                      if (b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().height > 48) problems.push(`a button breaks its label: ${b.textContent.trim()}`);
                  }
                  for (const card of document.querySelectorAll('.card'))
                    if (card.scrollWidth > card.clientWidth + 1) problems.push(`a card scrolls sideways: ${card.querySelector('h2')?.textContent}`);
                  return problems;
                }
                """);
}

public static class QaChangeLog
{
    /// <summary>Adds <paramref name="count"/> changes to the change log, so that it has several pages.</summary>
    public static async Task AddChangesAsync(AppStackFixture stack, int count)
    {
        await using var db = await stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        db.FlagAudit.AddRange(Enumerable.Range(0, count).Select(i => new FlagAuditEntry
        {
            Flag = FlagNames.ShadowCheck, Scope = i % 3 == 0 ? "global" : "session", OldValue = i % 2 == 0 ? OnOff.On : OnOff.Off,
            NewValue = i % 2 == 0 ? OnOff.Off : OnOff.On, Actor = Seeded.Qa, ActorName = "QA Tester", ActorEmail = Seeded.QaEmail, At = start.AddSeconds(i),
        }));
        await db.SaveChangesAsync();
    }
}
