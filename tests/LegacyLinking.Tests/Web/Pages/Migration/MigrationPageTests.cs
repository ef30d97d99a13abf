using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Pages.Migration;

public sealed class MigrationPageTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task Qa_sees_flows_readiness_chart_and_events()
    {
        await stack.UseFlowsAsync(LinkFlows.LegacyIdToken, UnlinkFlows.LegacyIdToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await john.LinkSmsAsync();
        await john.UnlinkAsync("sms", "560ebaeef609ee1adaa7c551");

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        // The writer lets a batch fill for a second before it stores it: wait for this link and unlink to land.
        await stack.EventsAsync(e => e is { Flow: "LegacyIdToken", Outcome: "ok" } && e.UserId == Seeded.John && e.Operation != "suggest", atLeast: 2);
        var (response, page) = await qa.GetPageAsync("/Migration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("[data-test='summary-link-LegacyIdToken']"));
        // One chart per operation, each with its text alternative: a description and the figures as a table.
        Assert.NotNull(page.QuerySelector("[data-test='share-chart'] [data-test='share-chart-link'] svg[role='img'] rect.legacy"));
        Assert.NotNull(page.QuerySelector("[data-test='share-chart-unlink'] svg rect.legacy"));
        Assert.Contains("legacy", page.QuerySelector("#chart-link-desc")?.TextContent);
        Assert.Equal("chart-link-title chart-link-desc", page.QuerySelector("[data-test='share-chart-link'] svg")?.GetAttribute("aria-labelledby"));
        Assert.Equal(8, page.QuerySelectorAll("[data-test='chart-table-link'] tbody tr").Length); // 7 days by day: 8 buckets
        Assert.Equal(8, page.QuerySelectorAll("[data-test='share-chart-link'] [data-test='chart-bucket']").Length);
        Assert.Contains("keep enable_idtoken_api2 on", page.QuerySelector("[data-test='readiness-LegacyIdToken']")?.TextContent);
        Assert.True(page.QuerySelectorAll("[data-test='event-row']").Length >= 2);
        Assert.NotNull(page.QuerySelector("[data-test='export-csv']"));
    }

    [Fact]
    public async Task Export_streams_csv_and_json_with_the_filters()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var csv = await qa.Http.GetAsync("/Migration?handler=Export&format=csv&operation=suggest");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,at,operation,flow,reason,outcome", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Contains(",suggest,", l));

        var json = await qa.Http.GetAsync("/Migration?handler=Export&format=json&operation=suggest");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("[", await json.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/Migration?from=not-a-date")]
    [InlineData("/Migration?handler=Export&format=xml")]
    [InlineData("/Migration?outcome=maybe")]
    public async Task Bad_filters_are_a_clear_400(string path)
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var response = await qa.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task End_users_may_not_open_it()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var response = await john.Http.GetAsync("/Migration");
        Assert.Contains("/Account/AccessDenied", response.Headers.Location?.ToString());
    }
}
