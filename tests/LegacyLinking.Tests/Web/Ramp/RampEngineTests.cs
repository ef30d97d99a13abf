using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.MigrationTracking;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;
using LegacyLinking.Web.Ramp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LegacyLinking.Tests.Web.Ramp;

/// <summary>
/// The engine on a real database with synthetic records and a fake clock: it advances on equal evidence only after the
/// step's minimums, rolls back by itself on a regression, holds on a gap, carries on after a restart, and leaves out
/// refusals that are not the flow's doing.
/// </summary>
public abstract class RampEngineTests(MigrationStore store) : IAsyncLifetime
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    protected static readonly RampActor Qa = new("auth0|qa", "QA Tester", "qa@example.com", "test");
    private const string New = LinkFlows.AccessToken, Old = LinkFlows.LegacyIdToken;

    protected readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    protected AppDataHost Host = null!;

    public async ValueTask InitializeAsync() => Host = await store.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    protected IDbContextFactory<AppDbContext> Databases => Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    protected RampStore NewStore() => new(Databases, Clock, NullLogger<RampStore>.Instance);

    protected RampEngine NewEngine(RampStore ramps, AppDataHost? host = null)
    {
        var services = (host ?? Host).Services;
        return new RampEngine(ramps, services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Clock,
            Options.Create(new RampOptions { IntervalSeconds = 5, LeaseSeconds = 30 }),
            services.GetRequiredService<FlowEventWriter>(), services.GetRequiredService<RecordJournal>(), services.GetRequiredService<DepnotePolling>(),
            NullLogger<RampEngine>.Instance);
    }

    protected async Task StartPlanAsync(RampStore ramps, string steps = "10, 50, 100", int minSeconds = 600, int minRequests = 20)
    {
        var plan = new RampPlanInput(LinkingService.Link, Old, New, steps, minSeconds.ToString(), minRequests.ToString(), "0.05", false).Validate([])!;
        await ramps.SaveAsync(plan, Qa, Ct);
        await ramps.ControlAsync(LinkingService.Link, RampActions.Start, Qa, Ct);
    }

    /// <summary>Records <paramref name="count"/> link requests through <paramref name="flow"/>, one second from now.</summary>
    protected async Task RecordAsync(string flow, int count, string outcome = Outcomes.Ok, int? status = null, string? error = null)
    {
        await using var db = await Databases.CreateDbContextAsync(Ct);
        var at = Clock.GetUtcNow().UtcDateTime.AddSeconds(1);
        for (var i = 0; i < count; i++)
            db.FlowEvents.Add(new FlowEvent
            {
                At = at, Operation = LinkingService.Link, Flow = flow, Reason = FlagReasons.Percentile, Outcome = outcome, Status = status,
                ErrorCode = error, UserId = $"auth0|u{i}", DurationMs = 10,
            });
        await db.SaveChangesAsync(Ct);
    }

    protected async Task<RampPlan> PlanAsync() => (await NewStore().ReadAsync(LinkingService.Link, Ct))!;

    [Fact]
    public async Task Advances_when_the_new_flow_is_as_good_only_after_the_minimum_time_and_requests()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps);
        var engine = NewEngine(ramps);
        await RecordAsync(New, 15);
        await RecordAsync(Old, 135);
        // Refusals by the app before the tenant was called say nothing about the flow: not counted, not failures.
        await RecordAsync(New, 30, Outcomes.Refused, error: "wrong_account");

        Clock.Advance(TimeSpan.FromSeconds(700));
        Assert.Empty((await engine.RunOnceAsync(Ct))!); // time is met, requests are not (15 of 20)
        await RecordAsync(New, 5);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var decision = Assert.Single((await engine.RunOnceAsync(Ct))!);
        Assert.Equal((RampActions.Advance, 50), (decision.Action, decision.Percent));
        Assert.Equal((20, 20, 135, 135), (decision.Window.NewSent, decision.Window.NewOk, decision.Window.OldSent, decision.Window.OldOk));

        // The next step starts its own clock: enough requests at once, but not before 600 s more.
        await RecordAsync(New, 40);
        await RecordAsync(Old, 40);
        Clock.Advance(TimeSpan.FromSeconds(599));
        Assert.Empty((await engine.RunOnceAsync(Ct))!);
        Assert.Equal(50, (await PlanAsync()).Percent);
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(100, Assert.Single((await engine.RunOnceAsync(Ct))!).Percent);

        var history = await ramps.HistoryAsync(LinkingService.Link, 10, Ct);
        var advanced = history.First(e => e.Action == RampActions.Advance);
        Assert.Null(advanced.Actor);
        Assert.Equal((50, 100, 40L, 40L), (advanced.FromPercent, advanced.ToPercent, advanced.NewSent!.Value, advanced.OldOk!.Value));
        Assert.Equal(1, advanced.PValue);
    }

    [Fact]
    public async Task Rolls_back_one_step_by_itself_when_the_new_flow_fails_more_and_waits_for_a_person()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps);
        await ramps.ControlAsync(LinkingService.Link, RampActions.Advance, Qa, Ct); // 50 %
        var engine = NewEngine(ramps);
        await RecordAsync(New, 12);
        await RecordAsync(New, 8, Outcomes.Rejected, 400, "invalid_request");
        await RecordAsync(Old, 20);
        Clock.Advance(TimeSpan.FromSeconds(10)); // long before the step's minimum time: a regression does not wait

        var decision = Assert.Single((await engine.RunOnceAsync(Ct))!);
        Assert.Equal((RampActions.RollBack, 10, RampStatus.RolledBack), (decision.Action, decision.Percent, decision.Status));
        Assert.True(decision.PValue < 0.05, $"p = {decision.PValue}");
        Assert.Contains("fails more often", decision.Summary);

        // It stays there until a person resumes it, however long and however good the evidence.
        await RecordAsync(New, 100);
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Empty((await engine.RunOnceAsync(Ct))!);
        Assert.Equal((10, RampStatus.RolledBack), ((await PlanAsync()).Percent, (await PlanAsync()).Status));
    }

    [Fact]
    public async Task The_tenants_429s_and_5xx_for_the_new_flow_roll_it_back()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps, steps: "20, 100");
        await RecordAsync(New, 10);
        await RecordAsync(New, 6, Outcomes.Rejected, 429, "too_many_requests");
        await RecordAsync(New, 4, Outcomes.Rejected, 503, "temporarily_unavailable");
        await RecordAsync(Old, 60);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var decision = Assert.Single((await NewEngine(ramps).RunOnceAsync(Ct))!);
        Assert.Equal((RampActions.RollBack, 0, 10L), (decision.Action, decision.Percent, decision.Window.NewTenantErrors));
    }

    [Fact]
    public async Task At_100_percent_a_failing_new_flow_is_judged_against_the_old_flows_requests_before_the_step_and_rolled_back()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps, steps: "50, 100", minSeconds: 60, minRequests: 10);
        await RecordAsync(New, 20);
        await RecordAsync(Old, 20);
        Clock.Advance(TimeSpan.FromSeconds(61));
        var engine = NewEngine(ramps);
        Assert.Equal((RampActions.Advance, 100), Assert.Single((await engine.RunOnceAsync(Ct))!) is var up ? (up.Action, up.Percent) : default);

        // At full share the old flow sends nothing: without the requests from before the step, nothing would compare.
        await RecordAsync(New, 3);
        await RecordAsync(New, 9, Outcomes.Rejected, 503, "temporarily_unavailable");
        Clock.Advance(TimeSpan.FromSeconds(61));
        var decision = Assert.Single((await engine.RunOnceAsync(Ct))!);
        Assert.Equal((RampActions.RollBack, 50, RampStatus.RolledBack), (decision.Action, decision.Percent, decision.Status));
        Assert.Equal((20L, 20L), (decision.Window.OldSent, decision.Window.OldOk));
    }

    [Fact]
    public async Task Pauses_instead_of_advancing_when_the_record_has_a_gap_in_the_step()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps);
        await RecordAsync(New, 50);
        await RecordAsync(Old, 50);
        await using (var db = await Databases.CreateDbContextAsync(Ct))
        {
            var at = Clock.GetUtcNow().UtcDateTime.AddSeconds(30);
            db.RecordGaps.Add(new RecordGap { Kind = RecordGapKinds.QueueFull, From = at, To = at.AddSeconds(5), Events = 7, Instance = "web-2", DetectedAt = at });
            await db.SaveChangesAsync(Ct);
        }
        Clock.Advance(TimeSpan.FromSeconds(700));
        var decision = Assert.Single((await NewEngine(ramps).RunOnceAsync(Ct))!);
        Assert.Equal((RampActions.Hold, 10, RampStatus.Paused), (decision.Action, decision.Percent, decision.Status));
        Assert.Contains("dropped", decision.Summary);

        // A person resumes once the record is whole: the window starts again after the gap.
        await ramps.ControlAsync(LinkingService.Link, RampActions.Resume, Qa, Ct);
        await RecordAsync(New, 20);
        await RecordAsync(Old, 20);
        Clock.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal(RampActions.Advance, Assert.Single((await NewEngine(ramps).RunOnceAsync(Ct))!).Action);
    }

    [Fact]
    public async Task Carries_on_mid_step_after_a_restart_from_the_step_start_it_stored()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps);
        var first = NewEngine(ramps);
        await RecordAsync(New, 25);
        await RecordAsync(Old, 25);
        Clock.Advance(TimeSpan.FromSeconds(400));
        Assert.Empty((await first.RunOnceAsync(Ct))!);
        await first.StopAsync(Ct); // gives the lease up

        // A new process: new store, new engine, same database. 400 + 201 s since the step began, not 201.
        var second = NewEngine(NewStore());
        Clock.Advance(TimeSpan.FromSeconds(201));
        var decision = Assert.Single((await second.RunOnceAsync(Ct))!);
        Assert.Equal((RampActions.Advance, 50), (decision.Action, decision.Percent));
    }

    [Fact]
    public async Task A_dry_run_records_what_it_would_do_and_moves_only_its_own_paper_step()
    {
        var ramps = NewStore();
        var plan = new RampPlanInput(LinkingService.Link, Old, New, "10, 50, 100", "600", "20", "0.05", DryRun: true).Validate([])!;
        await ramps.SaveAsync(plan, Qa, Ct);
        await ramps.ControlAsync(LinkingService.Link, RampActions.Start, Qa, Ct);
        await RecordAsync(New, 20);
        await RecordAsync(Old, 20);
        Clock.Advance(TimeSpan.FromSeconds(601));

        var decision = Assert.Single((await NewEngine(ramps).RunOnceAsync(Ct))!);
        Assert.StartsWith("Dry run, the allocation is not changed: would have advanced from 10 % to 50 %", decision.Summary);
        Assert.True((await PlanAsync()).DryRun);
        Assert.Null(await ramps.ForAsync(FlagNames.LinkFlow)); // the flag keeps its configured allocation
        Assert.True((await ramps.HistoryAsync(LinkingService.Link, 1, Ct))[0].DryRun);
    }

    [Fact]
    public async Task A_person_pausing_between_the_engines_read_and_its_write_wins()
    {
        var ramps = NewStore();
        await StartPlanAsync(ramps);
        var judged = await PlanAsync();
        await ramps.ControlAsync(LinkingService.Link, RampActions.Pause, Qa, Ct);
        var decision = RampGuardrail.Decide(judged, new RampWindow(30, 30, 30, 30, 0, 0), null, Clock.GetUtcNow().UtcDateTime.AddHours(1))!;
        Assert.False(await ramps.ApplyAsync(judged, decision, Ct));
        Assert.Equal((10, RampStatus.Paused), ((await PlanAsync()).Percent, (await PlanAsync()).Status));
    }
}

public sealed class RampEngineTestsOnSqlite() : RampEngineTests(new SqliteStore());

/// <summary>Two instances on one PostgreSQL database: one engine runs the ramp at a time, and the other takes over when its lease lapses.</summary>
public sealed class RampEngineTestsOnPostgres(PostgresFixture postgres) : RampEngineTests(new PostgresStore(postgres))
{
    [Fact]
    public async Task Only_one_of_two_instances_holds_the_lease_and_the_other_takes_over_when_it_lapses()
    {
        await using var second = await AppDataHost.StartAsync(connectionString: Host.ConnectionString, provider: "Postgres");
        var a = NewEngine(NewStore());
        var b = NewEngine(new RampStore(second.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Clock, NullLogger<RampStore>.Instance), second);

        for (var round = 0; round < 10; round++)
        {
            Clock.Advance(TimeSpan.FromSeconds(31)); // whoever held it, it has lapsed: both race for it
            var taken = await Task.WhenAll(a.TryTakeLeaseAsync(Ct), b.TryTakeLeaseAsync(Ct));
            Assert.Equal(1, taken.Count(t => t));
        }

        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(await a.RunOnceAsync(Ct));
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.NotNull(await a.RunOnceAsync(Ct)); // renews its own
        Assert.Null(await b.RunOnceAsync(Ct));
        Clock.Advance(TimeSpan.FromSeconds(31)); // a stopped renewing (its instance died)
        Assert.NotNull(await b.RunOnceAsync(Ct));
        Assert.Null(await a.RunOnceAsync(Ct));
    }

    [Fact]
    public async Task Controls_from_two_instances_at_once_take_turns_and_lose_no_step()
    {
        await using var second = await AppDataHost.StartAsync(connectionString: Host.ConnectionString, provider: "Postgres");
        var here = NewStore();
        var there = new RampStore(second.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Clock, NullLogger<RampStore>.Instance);
        await StartPlanAsync(here, steps: string.Join(", ", Enumerable.Range(1, 20).Select(i => i * 5)));

        // 12 people press "advance now" at once, half on each instance: each must move one step from where the last left it.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            (i % 2 == 0 ? here : there).ControlAsync(LinkingService.Link, RampActions.Advance, Qa with { Why = $"press {i}" }, Ct), Ct)));

        Assert.Equal(5 + 12 * 5, (await PlanAsync()).Percent);
        var advances = (await here.HistoryAsync(LinkingService.Link, 20, Ct)).Where(e => e.Action == RampActions.Advance).OrderBy(e => e.Id).ToList();
        Assert.Equal(12, advances.Count);
        Assert.All(advances.Zip(advances.Skip(1)), pair => Assert.Equal(pair.First.ToPercent, pair.Second.FromPercent));
    }
}
