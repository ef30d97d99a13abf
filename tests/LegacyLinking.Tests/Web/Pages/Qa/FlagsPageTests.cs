using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Pages.Qa;

/// <summary>The QA console over HTTP: who may use it, session vs global overrides, audit, a second instance.</summary>
public sealed class FlagsPageTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    [Fact]
    public async Task Only_the_qa_group_may_open_the_console()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var response = await john.Http.GetAsync("/Qa/Flags");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_session_override_changes_only_that_session()
    {
        var mine = stack.NewBrowser();
        await mine.SignInAsQaAsync();
        var other = stack.NewBrowser();
        await other.SignInAsQaAsync();

        await mine.SetFlagAsync(FlagNames.LinkFlow, LinkFlows.ServerToken, "session");

        var (_, myPage) = await mine.GetPageAsync("/Qa/Flags");
        Assert.Equal(LinkFlows.ServerToken, myPage.QuerySelector("[data-test='effective-LinkFlow']")?.TextContent);
        Assert.Equal("(QaSession)", myPage.QuerySelector("[data-test='reason-LinkFlow']")?.TextContent);
        Assert.Contains("link: ServerToken", myPage.QuerySelector("[data-test='flow-badge']")?.TextContent);

        var (_, theirPage) = await other.GetPageAsync("/Qa/Flags");
        Assert.NotEqual(LinkFlows.ServerToken, theirPage.QuerySelector("[data-test='effective-LinkFlow']")?.TextContent);

        var reset = await mine.GetPageAsync("/Qa/Flags");
        await mine.FollowAsync(await mine.ClickAsync(reset.Page, "/Qa/Flags", "reset-LinkFlow"));
        var (_, after) = await mine.GetPageAsync("/Qa/Flags");
        Assert.NotEqual("(QaSession)", after.QuerySelector("[data-test='reason-LinkFlow']")?.TextContent);
    }

    [Fact]
    public async Task A_global_override_reaches_a_second_instance_and_is_audited()
    {
        await using var second = await stack.StartSecondInstanceAsync();

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(FlagNames.MergeMetadata, OnOff.Off);

        var secondQa = stack.NewBrowser(second);
        await secondQa.SignInAsQaAsync();
        await Task.Delay(GlobalFlagOverrides.MaxStaleness + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        var (_, page) = await secondQa.GetPageAsync("/Qa/Flags");
        Assert.Equal(OnOff.Off, page.QuerySelector("[data-test='effective-MergeMetadata']")?.TextContent);
        Assert.Equal("(QaGlobal)", page.QuerySelector("[data-test='reason-MergeMetadata']")?.TextContent);
        var audit = page.QuerySelectorAll("[data-test='audit-row']").Select(r => r.TextContent).ToList();
        Assert.Contains(audit, row => row.Contains(Seeded.Qa) && row.Contains("MergeMetadata") && row.Contains("global") && row.Contains("→ off"));

        await qa.SetFlagAsync(FlagNames.MergeMetadata, OnOff.On);
    }
}
