using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;
using LegacyLinking.Web.Ramp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Ramp;

/// <summary>
/// The engine as the app runs it (its own background service, lease and clock) over HTTP: QA starts a plan, the new
/// flow's requests fail at the tenant, the ramp goes back by itself and says why; QA resumes it and, with the new
/// flow as good as the old, it reaches 100 % step by step. The record is fed directly (requests recorded as the app
/// records them): the journey is the engine's and the page's, not the flows'.
/// </summary>
public sealed class RampJourneyTests(FastRampStack stack) : IClassFixture<FastRampStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Databases => stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task RecordAsync(string flow, int count, string outcome = Outcomes.Ok, int? status = null)
    {
        await using var db = await Databases.CreateDbContextAsync(Ct);
        for (var i = 0; i < count; i++)
            db.FlowEvents.Add(new FlowEvent
            {
                At = DateTime.UtcNow, Operation = LinkingService.Unlink, Flow = flow, Reason = FlagReasons.Percentile, Outcome = outcome,
                Status = status, ErrorCode = outcome == Outcomes.Ok ? null : "temporarily_unavailable", UserId = $"auth0|journey-{i}", DurationMs = 5,
            });
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task A_ramp_rolls_back_by_itself_on_failures_then_resumed_reaches_100_percent()
    {
        // Nothing moves while the tenant log reader has not read yet (a stale reader pauses the ramp).
        await stack.WaitUntilRecordIsWholeAsync();

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await RampPage.ClickAsync(qa, "save-unlink", f => f.Set("fromFlow", UnlinkFlows.LegacyIdToken).Set("toFlow", UnlinkFlows.AccessToken)
            .Set("steps-unlink", "50, 100").Set("seconds-unlink", "2").Set("requests-unlink", "5").Set("why-save-unlink", "journey"));
        var started = await RampPage.ClickAsync(qa, "control-unlink-start", f => f.Set("why-control-unlink", "go"));
        Assert.Equal(("running", "50"), (RampPage.Text(started, "ramp-status-unlink"), RampPage.Text(started, "ramp-percent-unlink")));

        // The new flow's requests fail at the tenant (503s) while the old flow's succeed.
        await RecordAsync(UnlinkFlows.AccessToken, 8, Outcomes.Rejected, 503);
        await RecordAsync(UnlinkFlows.LegacyIdToken, 8);
        var rolledBack = await RampPage.UntilAsync(qa, p => RampPage.Text(p, "ramp-status-unlink") == RampStatus.RolledBack, () => Task.CompletedTask, "rolled back");
        Assert.Equal("0", RampPage.Text(rolledBack, "ramp-percent-unlink"));
        var decision = rolledBack.QuerySelectorAll("[data-test='ramp-event']").First(r => r.GetAttribute("data-action") == RampActions.RollBack);
        Assert.NotNull(decision.QuerySelector("[data-test='ramp-event-engine']"));
        Assert.Contains("AccessToken fails more often", decision.TextContent);
        Assert.Contains("0 of 8", decision.TextContent);

        // QA resumes; the new flow is as good as the old from now on.
        await RampPage.ClickAsync(qa, "control-unlink-resume", f => f.Set("why-control-unlink", "tenant fixed"));
        async Task Healthy()
        {
            await RecordAsync(UnlinkFlows.AccessToken, 2);
            await RecordAsync(UnlinkFlows.LegacyIdToken, 2);
        }
        var done = await RampPage.UntilAsync(qa, p => RampPage.Text(p, "ramp-status-unlink") == RampStatus.Done, Healthy, "done");
        Assert.Equal("100", RampPage.Text(done, "ramp-percent-unlink"));
        Assert.Equal([RampActions.Save, RampActions.Start, RampActions.RollBack, RampActions.Resume, RampActions.Advance, RampActions.Complete],
            RampPage.Actions(done, "unlink"));

        var (_, migration) = await qa.GetPageAsync("/Migration");
        Assert.Contains("Finished at 100 %", migration.QuerySelector("[data-test='ramp-history']")?.TextContent);
    }
}
