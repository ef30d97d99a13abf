using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.Outages;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>Two instances on one database, each with a queue of one event: the writer lets a batch fill for a second, so a burst of pages drops.</summary>
public sealed class TinyQueueStack : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Migration:QueueCapacity", "1")];
}

/// <summary>
/// Records dropped because the queue was full are stored as gaps in the database, with their count and times: they
/// outlive the instance that dropped them, and the migration page sums them over every instance.
/// </summary>
public sealed class RecordGapTests(TinyQueueStack stack) : IClassFixture<TinyQueueStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Drops_of_every_instance_are_stored_and_summed_after_the_instance_that_dropped_them_stopped()
    {
        long secondDropped;
        string secondInstance;
        await using (var second = await stack.StartSecondInstanceAsync())
        {
            await BurstAsync(stack.NewBrowser(second));
            secondDropped = await WhenStoredAsync(second);
            secondInstance = second.Services.GetRequiredService<RecordJournal>().Instance;
        }
        Assert.True(secondDropped > 0, "the burst dropped nothing on the second instance");
        await BurstAsync(stack.NewBrowser());
        await WhenStoredAsync(stack.App);

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var first = stack.App.Services.GetRequiredService<FlowEventRecorder>();
        // The QA user's own pages may drop too: asked until the page and the counters agree.
        var (response, page) = await DatabaseOutageTests.PollAsync(() => qa.GetPageAsync("/Migration"),
            p => p.Page.QuerySelector("[data-test='records-dropped']")?.TextContent == (first.Dropped + secondDropped).ToString("N0"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((first.Dropped + secondDropped).ToString("N0"), page.QuerySelector("[data-test='records-dropped']")?.TextContent);
        var drops = page.QuerySelectorAll("[data-test='record-gap']").Where(g => g.GetAttribute("data-kind") == RecordGapKinds.QueueFull).ToList();
        Assert.Contains(drops, g => g.TextContent.Contains($"were dropped: the queue was full ({secondInstance})"));
        Assert.Contains(drops, g => !g.TextContent.Contains(secondInstance));
    }

    /// <summary>Eight profile views at once from a signed-in user: each records an event, the queue holds one.</summary>
    private static async Task BurstAsync(AppBrowser browser)
    {
        await browser.SignInAsJohnAsync();
        var views = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => browser.Http.GetAsync("/Profile", Ct)));
        Assert.All(views, v => Assert.Equal(HttpStatusCode.OK, v.StatusCode));
    }

    /// <summary>The instance's drops so far, once its writer has stored them as gaps (it notes them every round).</summary>
    private static async Task<long> WhenStoredAsync(TestApp app)
    {
        var recorder = app.Services.GetRequiredService<FlowEventRecorder>();
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct); // a round: the linger, a write, the notes
        return recorder.Dropped;
    }
}
