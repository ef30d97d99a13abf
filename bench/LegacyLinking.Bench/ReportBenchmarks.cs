using BenchmarkDotNet.Attributes;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Bench;

/// <summary>
/// (c) The migration page's server work over 1,000,000 events spread over 30 days (<see cref="ReportSeed"/>), on SQLite
/// and on PostgreSQL: the report (per-flow figures, share by day, readiness — first/last seen included) for the whole
/// 30 days and for one user, and the first page of the event list. Times are the app's own calls, end to end.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class ReportBenchmarks
{
    private ReportSeed _seed = null!;
    private MigrationReport _report = null!;
    private readonly ReportFilter _month = new(ReportSeed.Start, ReportSeed.End, null, null, null, null, "day");
    private ReportFilter _oneUser = null!;

    [Params("Sqlite", "Postgres")]
    public string Provider { get; set; } = "Sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _seed = await ReportSeed.OpenAsync(Provider);
        // The local tenant's settings: the report does not call the tenant.
        var tenant = new Auth0Tenant(Options.Create(new Auth0Options()), Options.Create(new LocalTenantOptions()));
        _report = new MigrationReport(_seed.Databases,
            new ReadinessReport(new FixedClock(ReportSeed.End), tenant, new DepnotePolling(TimeSpan.FromSeconds(DepnotePolling.DefaultSeconds))));
        await using var db = await _seed.Databases.CreateDbContextAsync();
        // A busy user: the report then aggregates that user's raw events (rollups carry no user).
        var user = await db.FlowEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => e.UserId).FirstAsync();
        _oneUser = _month with { UserId = user };
        var view = await _report.BuildAsync(_month, CancellationToken.None);
        Console.WriteLine($"// {Provider}: {view.Flows.Concat(view.Suggestions).Sum(f => f.Requests):N0} requests in the report over {view.Flows.Count + view.Suggestions.Count} flows, {view.Share.Count} share points");
        if (view.Flows.Concat(view.Suggestions).Sum(f => f.Requests) != ReportSeed.Events) throw new InvalidOperationException("The report does not cover the seeded events.");
    }

    [Benchmark]
    public Task<ReportView> Report() => _report.BuildAsync(_month, CancellationToken.None);

    [Benchmark]
    public Task<ReportView> ReportForOneUser() => _report.BuildAsync(_oneUser, CancellationToken.None);

    [Benchmark]
    public async Task<List<FlowEvent>> EventsFirstPage()
    {
        await using var db = await _seed.Databases.CreateDbContextAsync();
        return await EventQuery.Apply(db, _month).Take(EventQuery.PageSize + 1).ToListAsync();
    }

    /// <summary>The list filtered by a flow alone: one with traffic throughout, and one without any in the range.</summary>
    [Benchmark]
    public Task<List<FlowEvent>> EventsOfALegacyFlow() => FirstPageAsync(_month with { Flow = "LegacyAuthorize" });

    [Benchmark]
    public Task<List<FlowEvent>> EventsOfAFlowWithoutTraffic() => FirstPageAsync(_month with { Flow = "LegacyAuthorizeRetired" });

    /// <summary>As the page reads its first page of events.</summary>
    private async Task<List<FlowEvent>> FirstPageAsync(ReportFilter filter)
    {
        await using var db = await _seed.Databases.CreateDbContextAsync();
        return await (await EventQuery.ListAsync(db, filter, CancellationToken.None)).Take(EventQuery.PageSize + 1).ToListAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _seed.DisposeAsync();

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
