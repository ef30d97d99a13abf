using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>
/// A migration lead reads /Migration in Chromium at 1280 px: pages through more events than one page holds, filters by
/// a flow typed in any case, and sees every column with its dates on one line.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MigrationPageJourneys(ChromiumFixture chromium) : IAsyncLifetime
{
    /// <summary>Link and unlink events recorded before the journey, a minute apart: two full pages and a part.</summary>
    private const int Recorded = 2 * EventQuery.PageSize + 17;

    private readonly AppStackFixture _stack = new();
    private DateTime _newest;

    public async ValueTask InitializeAsync()
    {
        await _stack.InitializeAsync();
        // Through the app's own recorder and writer, as its requests would be (a hundred real link journeys would take minutes).
        var recorder = _stack.App.Services.GetRequiredService<FlowEventRecorder>();
        _newest = RollupWriter.Hour(DateTime.UtcNow).AddHours(-1);
        for (var i = 0; i < Recorded; i++)
        {
            recorder.Record(new FlowEvent
            {
                At = _newest.AddMinutes(-i), Operation = i % 3 == 0 ? "unlink" : "link", Flow = i % 2 == 0 ? "LegacyIdToken" : "AccessToken",
                Reason = "Percentile", DurationMs = 12, UserId = $"auth0|lead-journey-{i:D3}",
                // Some failures, so the tables carry error codes as wide as real ones.
                Outcome = (i % 10) switch { 5 => "rejected", 7 => "refused", _ => "ok" },
                Status = i % 10 == 5 ? 401 : null,
                ErrorCode = (i % 10) switch { 5 => "invalid_token", 7 => "secondary_unverified", _ => null },
                Shadow = i % 2 == 0 ? "would-fail:no-secondary-id-token" : null,
            });
            // One suggestion lookup per recorded link, as profile views make them: never in the default list.
            recorder.Record(new FlowEvent
            {
                At = _newest.AddMinutes(-i).AddSeconds(30), Operation = "suggest", Flow = "UsersByEmail",
                Reason = "DefaultWhenEnabled", Outcome = "ok", DurationMs = 3, UserId = $"auth0|lead-journey-{i:D3}",
            });
        }
        await _stack.EventsAsync(_ => true, atLeast: 2 * Recorded);
    }

    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    private async Task<IPage> SignInAsQaAsync(string path)
    {
        var page = await chromium.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(_stack.AppUrl + path);
        await page.SignInWithPasswordAsync(Seeded.QaEmail, Seeded.QaPassword);
        await page.ArriveAtAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(_stack.AppUrl + "/Migration")));
        return page;
    }

    private static Task<string[]> UsersOnPageAsync(IPage page) =>
        page.Locator("[data-test='event-row'] td.user").AllTextContentsAsync().ContinueWith(t => t.Result.Select(u => u.Trim()).ToArray());

    [Fact]
    public async Task A_lead_pages_through_every_link_and_unlink_newest_first()
    {
        var page = await SignInAsQaAsync("/Migration");
        var seen = new List<string>();
        for (var number = 1; ; number++)
        {
            Assert.Equal($"page {number}", (await page.TextContentAsync("[data-test='page-number']"))?.Trim());
            var users = await UsersOnPageAsync(page);
            Assert.Equal(number <= 2 ? EventQuery.PageSize : Recorded - 2 * EventQuery.PageSize, users.Length);
            seen.AddRange(users);
            var older = page.Locator("[data-test='page-next']");
            if (await older.CountAsync() == 0) break;
            var href = await older.GetAttributeAsync("href");
            Assert.Contains($"page={number + 1}", href);
            await older.ClickAsync();
            await page.ArriveAtAsync(new System.Text.RegularExpressions.Regex($"[?&]page={number + 1}(&|$)"));
        }
        // Every recorded link and unlink exactly once, newest first; no suggestion lookup among them.
        Assert.Equal(Enumerable.Range(0, Recorded).Select(i => $"auth0|lead-journey-{i:D3}"), seen);
        Assert.Equal(3, int.Parse((await page.TextContentAsync("[data-test='page-number']"))!.Trim()[5..]));

        await page.ClickAsync("[data-test='page-previous']");
        await page.ArriveAtAsync(new System.Text.RegularExpressions.Regex("[?&]page=2(&|$)"));
        Assert.Equal(seen.Skip(EventQuery.PageSize).Take(EventQuery.PageSize), await UsersOnPageAsync(page));

        // Typed as ?page=2 by hand: page 2 again.
        await page.GotoAsync(_stack.AppUrl + "/Migration?page=2");
        Assert.Equal(seen.Skip(EventQuery.PageSize).Take(EventQuery.PageSize), await UsersOnPageAsync(page));
    }

    [Fact]
    public async Task Suggestion_lookups_have_their_own_figures_and_filter()
    {
        var page = await SignInAsQaAsync("/Migration");
        Assert.Contains(Recorded.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.TextContentAsync("[data-test='suggestion-summary'] [data-test='summary-suggest-UsersByEmail']"));
        Assert.Equal(0, await page.Locator("[data-test='flow-summary'] [data-test^='summary-suggest-']").CountAsync());

        await page.SelectOptionAsync("[data-test='filter-operation']", "suggest");
        await page.ClickAsync("[data-test='filter-apply']");
        await page.ArriveAtAsync(new System.Text.RegularExpressions.Regex("[?&]operation=suggest(&|$)"));
        var operations = await page.Locator("[data-test='event-row'] td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(EventQuery.PageSize, operations.Count);
        Assert.All(operations, o => Assert.Equal("suggest", o));
    }

    [Fact]
    public async Task Filters_offer_the_known_values_and_match_whatever_the_case()
    {
        var page = await SignInAsQaAsync("/Migration?flow=legacyidtoken&user=AUTH0|LEAD-JOURNEY-004&to=now");
        Assert.Equal("LegacyIdToken", await page.InputValueAsync("[data-test='filter-flow']"));
        Assert.Equal("auth0|lead-journey-004", await page.InputValueAsync("[data-test='filter-user']"));
        Assert.Equal("now", await page.InputValueAsync("[data-test='filter-to']"));
        Assert.Equal(["auth0|lead-journey-004"], await UsersOnPageAsync(page));
        var flows = await page.Locator("[data-test='filter-flow'] option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Equal(["", .. ReportFilter.Flows], flows);
        var users = await page.Locator("#known-users option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains("auth0|lead-journey-000", users);
    }

    [Fact]
    public async Task At_1280_px_every_column_shows_and_dates_stay_on_one_line()
    {
        var page = await SignInAsQaAsync("/Migration");
        foreach (var table in new[] { "events", "flow-summary", "suggestion-summary" })
        {
            // Nothing cut off to the right, behind the card's scroll bar.
            var overflow = await page.EvaluateAsync<int>(
                $"() => {{ const card = document.querySelector(\"[data-test='{table}']\").closest('.card'); return card.scrollWidth - card.clientWidth; }}");
            Assert.True(overflow <= 0, $"{table} is {overflow} px wider than its card");
        }
        // One line box per date: a wrapped date has two or three.
        var lines = await page.Locator("[data-test='events'] td.time time, [data-test='flow-summary'] td.time time").EvaluateAllAsync<int[]>(
            "times => times.map(t => t.getClientRects().length)");
        Assert.Equal(EventQuery.PageSize + 2 * 4, lines.Length); // the page's events; first and last seen of 4 operation × flow rows
        Assert.All(lines, n => Assert.Equal(1, n));
    }

    [Theory]
    [InlineData("hour")]
    [InlineData("day")]
    public async Task The_chart_labels_stay_apart_and_inside_the_picture(string bucket)
    {
        var page = await SignInAsQaAsync($"/Migration?from={DateTime.UtcNow.AddDays(-3):yyyy-MM-ddTHH:mm}Z&bucket={bucket}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), $"migration-chart-{bucket}.png"), FullPage = true });
        foreach (var operation in new[] { "link", "unlink" })
        {
            var chart = page.Locator($"[data-test='share-chart-{operation}'] svg");
            var box = (await chart.BoundingBoxAsync())!;
            Assert.True(box.Width <= 1280 && box.Width > 600, $"the {operation} chart is {box.Width} px wide");
            var labels = await chart.Locator("text").EvaluateAllAsync<double[][]>(
                "texts => texts.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })");
            Assert.True(labels.Length > 5);
            // Inside the SVG, and no two labels on top of each other.
            Assert.All(labels, l => Assert.True(l[0] >= box.X - 0.5 && l[2] <= box.X + box.Width + 0.5 && l[1] >= box.Y - 0.5 && l[3] <= box.Y + box.Height + 0.5, $"a label at {string.Join(", ", l)} leaves the chart"));
            for (var i = 0; i < labels.Length; i++)
                for (var j = i + 1; j < labels.Length; j++)
                    Assert.False(labels[i][0] < labels[j][2] && labels[j][0] < labels[i][2] && labels[i][1] < labels[j][3] && labels[j][1] < labels[i][3],
                        $"labels {i} and {j} overlap");
            var fontSize = await chart.Locator("g.date-axis text").First.EvaluateAsync<double>("t => t.getBoundingClientRect().height");
            Assert.True(fontSize >= 11, $"date labels are {fontSize} px high");
        }
        // Every bucket drawn, empty ones included: 3 days by hour is 73 (the first and last partly), by day 4.
        Assert.Equal(bucket == "hour" ? 73 : 4, await page.Locator("[data-test='share-chart-link'] [data-test='chart-bucket']").CountAsync());
    }
}
