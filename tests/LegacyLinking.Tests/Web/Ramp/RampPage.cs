using AngleSharp.Html.Dom;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Ramp;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Ramp;

/// <summary>
/// The app with its ramp engine judging every second and a short lease; the tenant's test controls on, so a journey
/// can make one flow's tenant route fail.
/// </summary>
public sealed class FastRampStack : AppStackWithTestControls
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
        [new("Ramp:IntervalSeconds", "1"), new("Ramp:LeaseSeconds", "5")];

    /// <summary>
    /// Until the tenant log reader has read once: before that the record is incomplete and the engine pauses a
    /// running ramp instead of judging it.
    /// </summary>
    public async Task WaitUntilRecordIsWholeAsync()
    {
        var engine = App.Services.GetRequiredService<RampEngine>();
        for (var i = 0; i < 120 && await engine.RecordProblemAsync(DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow, TestContext.Current.CancellationToken) is not null; i++)
            await Task.Delay(250, TestContext.Current.CancellationToken);
    }
}

/// <summary>The QA ramp page (/Qa/Ramp) as the journeys click and read it.</summary>
public static class RampPage
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<IHtmlDocument> ClickAsync(AppBrowser qa, string hook, Action<HtmlForm> fill)
    {
        var (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        var response = await qa.FollowAsync(await qa.ClickAsync(page, "/Qa/Ramp", hook, fill));
        Assert.True((int)response.StatusCode < 500, $"{hook}: {response.StatusCode}");
        return HtmlForm.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Reads the ramp page until <paramref name="done"/> holds for it, feeding traffic meanwhile; pausing between
    /// reads unless <paramref name="pause"/> is false (a feed that takes its own time).
    /// </summary>
    public static async Task<IHtmlDocument> UntilAsync(AppBrowser qa, Func<IHtmlDocument, bool> done, Func<Task> feed, string what, int attempts = 120, bool pause = true)
    {
        IHtmlDocument? last = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var (response, page) = await qa.GetPageAsync("/Qa/Ramp");
            Assert.True((int)response.StatusCode < 500, $"/Qa/Ramp: {response.StatusCode}");
            if (done(last = page)) return page;
            await feed();
            if (pause) await Task.Delay(250, Ct);
        }
        var seen = last?.QuerySelectorAll("[data-test^='ramp-state-'], [data-test^='ramp-numbers-'], [data-test='ramp-event-summary']")
            .Select(e => e.TextContent.Trim()) ?? [];
        throw new TimeoutException($"The ramp did not get to: {what}. The page said: {string.Join(" | ", seen)}");
    }

    public static string? Text(IHtmlDocument page, string hook) => page.QuerySelector($"[data-test='{hook}']")?.TextContent.Trim();

    public static string? Status(IHtmlDocument page, string operation) => Text(page, $"ramp-status-{operation}");

    public static string? Percent(IHtmlDocument page, string operation) => Text(page, $"ramp-percent-{operation}");

    /// <summary>The timeline's actions for one operation, oldest first.</summary>
    public static List<string?> Actions(IHtmlDocument page, string operation) =>
        page.QuerySelectorAll("[data-test='ramp-event']").Where(r => r.GetAttribute("data-operation") == operation)
            .Select(r => r.GetAttribute("data-action")).Reverse().ToList();
}
