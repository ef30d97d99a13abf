using LegacyLinking.Web.Data;
using LegacyLinking.Web.Linking;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

public sealed record FlowSummary(
    string Operation, string Flow, long Requests, double SuccessRate, double? P50Ms, double? P95Ms,
    IReadOnlyList<(string Code, long Count)> TopErrors, DateTime? FirstSeen, DateTime? LastSeen, int DistinctUsers,
    long ShadowChecked, long ShadowWouldSucceed);

public sealed record SharePoint(DateTime Start, long Legacy, long Current);

public sealed record Readiness(string Flow, string TenantFlag, bool Safe, string Verdict, string Rule, long RecentRequests, long ShadowChecked, long ShadowWouldSucceed, long DepnotesRecent);

/// <summary>The report: link and unlink figures per flow, suggestion lookups apart (one per profile view, they would bury the rest).</summary>
public sealed record ReportView(IReadOnlyList<FlowSummary> Flows, IReadOnlyList<FlowSummary> Suggestions, IReadOnlyList<SharePoint> Share, IReadOnlyList<Readiness> Readiness);

/// <summary>
/// The migration page's numbers, computed from the hourly rollups (so the cost follows hours × flows, not events);
/// only first/last seen read the events table, through its (operation, flow, at) index.
/// </summary>
public sealed class MigrationReport(IDbContextFactory<AppDbContext> databases, TimeProvider clock)
{
    public const int ReadinessDays = 14;

    /// <summary>Requests per operation, flow, outcome, error code and shadow verdict over the range.</summary>
    private sealed record OutcomeTotal(string Operation, string Flow, string Outcome, string ErrorCode, string Shadow, long Count);

    /// <summary>Legacy and current link/unlink requests in one hour.</summary>
    private sealed record HourTotal(DateTime Hour, long Legacy, long Current);

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
            hours = await rollups.Where(r => r.Operation != "suggest")
                .GroupBy(r => r.Hour)
                .Select(g => new HourTotal(g.Key,
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
            hours = events.Where(e => e.Operation != "suggest").GroupBy(e => RollupWriter.Hour(e.At))
                .Select(g => new HourTotal(g.Key, g.LongCount(e => FlowCatalogue.IsLegacy(e.Flow)), g.LongCount(e => FlowCatalogue.IsCurrent(e.Flow))))
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

        var share = hours
            .GroupBy(h => TimeBuckets.Floor(h.Hour, filter.Bucket))
            .Select(g => new SharePoint(g.Key, g.Sum(h => h.Legacy), g.Sum(h => h.Current)))
            .OrderBy(p => p.Start)
            .ToList();

        return new ReportView(
            flows.Where(f => f.Operation != ReportFilter.Suggest).ToList(), flows.Where(f => f.Operation == ReportFilter.Suggest).ToList(),
            share, await ReadinessAsync(db, cancellationToken));
    }

    /// <summary>
    /// The rule: no request through the flow in the last 14 days, every shadow-checked request of it would have
    /// succeeded through the current flow (and there was at least one), and no depnote from the tenant for its feature
    /// in the same 14 days — then its tenant flag can be switched off.
    /// </summary>
    private async Task<IReadOnlyList<Readiness>> ReadinessAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var since = RollupWriter.Hour(clock.GetUtcNow().UtcDateTime.AddDays(-ReadinessDays));
        var legacyNames = FlowCatalogue.LegacyNames.ToArray();
        var recent = await db.FlowRollups.AsNoTracking().Where(r => r.Hour >= since && legacyNames.Contains(r.Flow) && r.Operation != "suggest")
            .GroupBy(r => r.Flow).Select(g => new { Flow = g.Key, Count = g.Sum(r => r.Count) }).ToListAsync(cancellationToken);
        var shadow = await db.FlowRollups.AsNoTracking().Where(r => legacyNames.Contains(r.Flow) && r.Shadow != "")
            .GroupBy(r => new { r.Flow, Ok = r.Shadow == "would-succeed" })
            .Select(g => new { g.Key.Flow, g.Key.Ok, Count = g.Sum(r => r.Count) }).ToListAsync(cancellationToken);
        var sinceDate = since;
        var depnotes = await db.TenantLogEvents.AsNoTracking().Where(e => e.Type == "depnote" && e.Date >= sinceDate)
            .GroupBy(e => e.Feature).Select(g => new { Feature = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);

        var rule = $"0 requests in the last {ReadinessDays} days, shadow check 100 % would-succeed (at least one check), 0 tenant depnotes for the feature in {ReadinessDays} days";
        return FlowCatalogue.Deprecations.Select(legacy =>
        {
            var used = recent.FirstOrDefault(r => r.Flow == legacy.Flow)?.Count ?? 0;
            var checkedCount = shadow.Where(s => s.Flow == legacy.Flow).Sum(s => s.Count);
            var succeeded = shadow.Where(s => s.Flow == legacy.Flow && s.Ok).Sum(s => s.Count);
            var notes = depnotes.FirstOrDefault(d => d.Feature == legacy.Feature.DepnoteFeature)?.Count ?? 0;
            var rate = checkedCount == 0 ? "no shadow checks yet" : $"shadow check {100.0 * succeeded / checkedCount:0.#} % would-succeed over {checkedCount:N0} requests";
            var safe = used == 0 && checkedCount > 0 && succeeded == checkedCount && notes == 0;
            var verdict = safe
                ? $"{legacy.Flow}: 0 requests in the last {ReadinessDays} days, {rate} → safe to switch off {legacy.Feature.TenantFlag}"
                : $"{legacy.Flow}: {used:N0} requests in the last {ReadinessDays} days, {rate}, {notes:N0} tenant depnotes → keep {legacy.Feature.TenantFlag} on";
            return new Readiness(legacy.Flow, legacy.Feature.TenantFlag, safe, verdict, rule, used, checkedCount, succeeded, notes);
        }).ToList();
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
