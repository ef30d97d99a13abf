using LegacyLinking.Web.Data;
using LegacyLinking.Web.Linking;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

public sealed record FlowSummary(
    string Operation, string Flow, long Requests, double SuccessRate, double? P50Ms, double? P95Ms,
    IReadOnlyList<(string Code, long Count)> TopErrors, DateTime? FirstSeen, DateTime? LastSeen, int DistinctUsers,
    long ShadowChecked, long ShadowWouldSucceed);

public sealed record SharePoint(DateTime Start, long Legacy, long Current);

/// <summary>One operation's legacy and current requests per bucket, every bucket of the range (empty ones too).</summary>
public sealed record OperationShare(string Operation, IReadOnlyList<SharePoint> Points);

/// <summary>The report: link and unlink figures per flow, suggestion lookups apart (one per profile view, they would bury the rest).</summary>
public sealed record ReportView(IReadOnlyList<FlowSummary> Flows, IReadOnlyList<FlowSummary> Suggestions, IReadOnlyList<OperationShare> Share, ReadinessView Readiness);

/// <summary>
/// The migration page's numbers, computed from the hourly rollups (so the cost follows hours × flows, not events);
/// only first/last seen read the events table, through its (operation, flow, at) index.
/// </summary>
public sealed class MigrationReport(IDbContextFactory<AppDbContext> databases, ReadinessReport readiness)
{
    /// <summary>Requests per operation, flow, outcome, error code and shadow verdict over the range.</summary>
    private sealed record OutcomeTotal(string Operation, string Flow, string Outcome, string ErrorCode, string Shadow, long Count);

    /// <summary>Legacy and current requests of one operation (link or unlink) in one hour.</summary>
    private sealed record HourTotal(DateTime Hour, string Operation, long Legacy, long Current);

    public async Task<ReportView> BuildAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var fromHour = RollupWriter.Hour(filter.From);
        List<OutcomeTotal> totals;
        List<HourTotal> hours;
        List<LatencyRollup> latency;
        List<FlowEvent>? userEvents = null;
        if (filter.UserId is null)
        {
            // Aggregated by the database: the client reads hundreds of rows, not the range's tens of thousands of rollups.
            var (legacyNames, currentNames) = (FlowCatalogue.LegacyNames.ToArray(), FlowCatalogue.CurrentNames.ToArray());
            var rollups = Filtered(db.FlowRollups.AsNoTracking().Where(r => r.Hour >= fromHour && r.Hour < filter.To), filter);
            totals = await rollups
                .GroupBy(r => new { r.Operation, r.Flow, r.Outcome, r.ErrorCode, r.Shadow })
                .Select(g => new OutcomeTotal(g.Key.Operation, g.Key.Flow, g.Key.Outcome, g.Key.ErrorCode, g.Key.Shadow, g.Sum(r => r.Count)))
                .ToListAsync(cancellationToken);
            hours = await rollups.Where(r => r.Operation != ReportFilter.Suggest)
                .GroupBy(r => new { r.Hour, r.Operation })
                .Select(g => new HourTotal(g.Key.Hour, g.Key.Operation,
                    g.Sum(r => legacyNames.Contains(r.Flow) ? r.Count : 0),
                    g.Sum(r => currentNames.Contains(r.Flow) ? r.Count : 0)))
                .ToListAsync(cancellationToken);
            latency = await db.LatencyRollups.AsNoTracking()
                .Where(r => r.Hour >= fromHour && r.Hour < filter.To)
                .Where(r => filter.Operation == null || r.Operation == filter.Operation)
                .Where(r => filter.Flow == null || r.Flow == filter.Flow)
                .GroupBy(r => new { r.Operation, r.Flow, r.Bucket })
                .Select(g => new LatencyRollup { Operation = g.Key.Operation, Flow = g.Key.Flow, Bucket = g.Key.Bucket, Count = g.Sum(r => r.Count) })
                .ToListAsync(cancellationToken);
        }
        else
        {
            // Rollups carry no user: one user's events are few (and indexed by user), so aggregate them directly.
            var events = userEvents = await EventQuery.Apply(db, filter).ToListAsync(cancellationToken);
            totals = events.GroupBy(e => (e.Operation, e.Flow, e.Outcome, ErrorCode: e.ErrorCode ?? "", Shadow: e.Shadow ?? ""))
                .Select(g => new OutcomeTotal(g.Key.Operation, g.Key.Flow, g.Key.Outcome, g.Key.ErrorCode, g.Key.Shadow, g.LongCount()))
                .ToList();
            hours = events.Where(e => e.Operation != ReportFilter.Suggest).GroupBy(e => (Hour: RollupWriter.Hour(e.At), e.Operation))
                .Select(g => new HourTotal(g.Key.Hour, g.Key.Operation, g.LongCount(e => FlowCatalogue.IsLegacy(e.Flow)), g.LongCount(e => FlowCatalogue.IsCurrent(e.Flow))))
                .ToList();
            latency = events.GroupBy(e => (e.Operation, e.Flow, Bucket: LatencyBuckets.Of(e.DurationMs)))
                .Select(g => new LatencyRollup { Operation = g.Key.Operation, Flow = g.Key.Flow, Bucket = g.Key.Bucket, Count = g.LongCount() })
                .ToList();
        }
        var users = await UserMonths.ActiveIn(db.FlowUserMonths.AsNoTracking(), filter.From, filter.To)
            .Where(u => filter.Operation == null || u.Operation == filter.Operation)
            .Where(u => filter.Flow == null || u.Flow == filter.Flow)
            .Where(u => filter.UserId == null || u.UserId == filter.UserId)
            .GroupBy(u => new { u.Operation, u.Flow })
            .Select(g => new { g.Key.Operation, g.Key.Flow, Users = g.Select(u => u.UserId).Distinct().Count() })
            .ToListAsync(cancellationToken);

        var flows = new List<FlowSummary>();
        foreach (var group in totals.GroupBy(r => (r.Operation, r.Flow)).OrderBy(g => g.Key.Operation).ThenBy(g => g.Key.Flow))
        {
            var requests = group.Sum(r => r.Count);
            var ok = group.Where(r => r.Outcome == "ok").Sum(r => r.Count);
            var histogram = latency.Where(l => l.Operation == group.Key.Operation && l.Flow == group.Key.Flow)
                .ToDictionary(l => l.Bucket, l => l.Count);
            var errors = group.Where(r => r.ErrorCode != "").GroupBy(r => r.ErrorCode)
                .Select(g => (g.Key, g.Sum(r => r.Count))).OrderByDescending(e => e.Item2).ThenBy(e => e.Key).Take(3).ToList();
            var (first, last) = userEvents is null
                ? await FirstAndLastAsync(db, group.Key.Operation, group.Key.Flow, filter, cancellationToken)
                : FirstAndLast(userEvents, group.Key.Operation, group.Key.Flow);
            var shadowed = group.Where(r => r.Shadow != "").ToList();
            flows.Add(new FlowSummary(
                group.Key.Operation, group.Key.Flow, requests, requests == 0 ? 0 : (double)ok / requests,
                LatencyBuckets.Quantile(histogram, 0.50), LatencyBuckets.Quantile(histogram, 0.95), errors, first, last,
                users.FirstOrDefault(u => u.Operation == group.Key.Operation && u.Flow == group.Key.Flow)?.Users ?? 0,
                shadowed.Sum(r => r.Count), shadowed.Where(r => r.Shadow == "would-succeed").Sum(r => r.Count)));
        }

        var share = ReportFilter.Operations.Where(o => o != ReportFilter.Suggest && (filter.Operation ?? o) == o)
            .Select(operation => Share(operation, hours.Where(h => h.Operation == operation), filter))
            .ToList();

        return new ReportView(
            flows.Where(f => f.Operation != ReportFilter.Suggest).ToList(), flows.Where(f => f.Operation == ReportFilter.Suggest).ToList(),
            share, await readiness.BuildAsync(db, cancellationToken));
    }

    /// <summary>Every bucket from the one holding <see cref="ReportFilter.From"/> to the one holding the end of the range, empty ones too.</summary>
    private static OperationShare Share(string operation, IEnumerable<HourTotal> hours, ReportFilter filter)
    {
        var totals = hours.GroupBy(h => TimeBuckets.Floor(h.Hour, filter.Bucket))
            .ToDictionary(g => g.Key, g => (Legacy: g.Sum(h => h.Legacy), Current: g.Sum(h => h.Current)));
        var points = new List<SharePoint>();
        for (var start = TimeBuckets.Floor(filter.From, filter.Bucket); start < filter.To; start = TimeBuckets.Next(start, filter.Bucket))
            points.Add(totals.TryGetValue(start, out var t) ? new SharePoint(start, t.Legacy, t.Current) : new SharePoint(start, 0, 0));
        return new OperationShare(operation, points);
    }

    /// <summary>From one user's events, already read (newest first).</summary>
    private static (DateTime? First, DateTime? Last) FirstAndLast(List<FlowEvent> events, string operation, string flow)
    {
        var times = events.Where(e => e.Operation == operation && e.Flow == flow).Select(e => e.At).ToList();
        return times.Count == 0 ? (null, null) : (times.Min(), times.Max());
    }

    private static async Task<(DateTime? First, DateTime? Last)> FirstAndLastAsync(AppDbContext db, string operation, string flow, ReportFilter filter, CancellationToken cancellationToken)
    {
        var events = db.FlowEvents.AsNoTracking().Where(e => e.Operation == operation && e.Flow == flow && e.At >= filter.From && e.At < filter.To);
        if (filter.Outcome is not null) events = events.Where(e => e.Outcome == filter.Outcome);
        var first = await events.OrderBy(e => e.At).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(cancellationToken);
        var last = await events.OrderByDescending(e => e.At).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(cancellationToken);
        return (first, last);
    }

    private static IQueryable<FlowRollup> Filtered(IQueryable<FlowRollup> rollups, ReportFilter filter)
    {
        if (filter.Operation is not null) rollups = rollups.Where(r => r.Operation == filter.Operation);
        if (filter.Flow is not null) rollups = rollups.Where(r => r.Flow == filter.Flow);
        if (filter.Outcome is not null) rollups = rollups.Where(r => r.Outcome == filter.Outcome);
        return rollups;
    }
}
