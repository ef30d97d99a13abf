using System.Globalization;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Hosting;
using LegacyLinking.Web.Linking;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

public enum ReadinessState
{
    /// <summary>Nothing used the flow in the window: its tenant flag can be switched off.</summary>
    Ready,
    /// <summary>Still in use (by this app or, per the tenant's depnotes, by another client).</summary>
    NotYet,
    /// <summary>The app talks to Auth0, which no longer offers the flow at all: it can only fail there, and there is no flag to switch off.</summary>
    GoneAtAuth0,
}

/// <summary>
/// The shadow verdicts of the requests a legacy flow sent to the tenant in the window, and the requests left out
/// because they never reached it (the app refused them first, for reasons that say nothing about the flow) or got no answer.
/// </summary>
public sealed record ShadowTally(long Sent, long Checked, long WouldSucceed, IReadOnlyList<(string Reason, long Count)> WouldFail, IReadOnlyList<(string Code, long Count)> LeftOut)
{
    public long LeftOutTotal => LeftOut.Sum(l => l.Count);

    public string Summary => Checked == 0
        ? Sent == 0 ? "none checked." : $"none checked ({Sent:N0} sent without a check: ShadowCheck was off)."
        : $"{WouldSucceed:N0} of {Checked:N0} would have succeeded through the current flow" + (WouldFail.Count > 0 ? $"; would fail: {List(WouldFail)}." : ".");

    public string LeftOutSummary => $"Left out, as they never reached the tenant or got no answer: {List(LeftOut)}.";

    private static string List(IEnumerable<(string Name, long Count)> items) => string.Join(", ", items.Select(i => $"{i.Name} {i.Count:N0}"));
}

public sealed record Readiness(
    string Flow, string TenantFlag, ReadinessState State, string Verdict, string Rule, long RecentRequests, DateTime? LastRequest,
    ShadowTally Shadow, long DepnotesRecent, TrendProjection Trend, IReadOnlyList<string> Cautions)
{
    public bool Safe => State == ReadinessState.Ready;
}

/// <summary>The verdicts, and the tenant log reader's state they were judged with (<see cref="DepnotesKnown"/>).</summary>
public sealed record ReadinessView(IReadOnlyList<Readiness> Flows, TenantLogReaderStatus Reader, DateTime Since)
{
    /// <summary>True when the tenant's depnotes are known for the whole window: without that no flow is ready.</summary>
    public bool DepnotesKnown => Reader.Covers(Since);

    /// <summary>One line for the page, beside the verdicts.</summary>
    public string ReaderSummary => DepnotesKnown
        ? $"Tenant depnotes are known for the whole window: the tenant's log was read from {When(Reader.CoveredFrom)} to {When(Reader.CoveredUntil)}."
        : $"Tenant depnotes are not known for the whole window ({ReadinessReport.WhyUnknown(Reader)}): no flow is called ready until the tenant's log has been read back to {When(Since)}.";

    private static string When(DateTime? at) => at is { } value ? value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "never";
}

/// <summary>
/// Per legacy flow: may its tenant flag be switched off, when will it be possible at the current trend, and would the
/// users still on it succeed through the current flow. Reads the hourly rollups (window and weekly counts), each
/// flow's last event through the (operation, flow, time) index, and the tenant's depnotes.
/// </summary>
public sealed class ReadinessReport(TimeProvider clock, Auth0Tenant tenant, DepnotePolling polling)
{
    public const int Days = 14;

    /// <summary>Each legacy flow once (from the flow catalogue): the flags that route to it, its tenant flag and the depnote feature the tenant logs.</summary>
    public static readonly (string Flow, string[] Flags, string TenantFlag, string Feature)[] LegacyFlows =
        FlowCatalogue.Deprecations.Select(d => (
            d.Flow,
            FlowCatalogue.All.Where(f => f.Name == d.Flow).Select(f => f.Flag).ToArray(),
            d.Feature.TenantFlag,
            d.Feature.DepnoteFeature)).ToArray();

    /// <summary>
    /// Flows Auth0 itself no longer serves, by tenant flag (a flag only the local tenant has): what is gone, and since
    /// when. Against a real tenant they can only fail, so their verdict says so instead of naming a flag to keep.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GoneAtAuth0 = new Dictionary<string, string>
    {
        ["allow_authorize_access_token_linking"] = "linking through /authorize?access_token= (removed in Auth0's \"Account Linking Removal\", mandatory since 2017-03-01)",
        ["allow_legacy_unlink_endpoint"] = "the Authentication API's POST /unlink (its \"Account Linking [Legacy]\" endpoints; unlink through the Management API)",
    };

    /// <summary>Refusals the tenant caused: the legacy /authorize login came back without the link (the flow failed at the tenant).</summary>
    private static readonly string[] TenantCausedRefusals = ["not_linked"];

    public static bool SentToTenant(string outcome, string errorCode) =>
        outcome is Outcomes.Ok or Outcomes.Rejected or Outcomes.Undone || (outcome == Outcomes.Refused && TenantCausedRefusals.Contains(errorCode));

    public static readonly string Rule =
        $"Ready when nothing went through the flow in the last {Days} days and the tenant logged no depnote for its feature in those days, " +
        "read from the tenant's log over all of them (a reader that failed, fell behind or started later leaves the flow not ready). " +
        $"The shadow check counts only requests the flow sent to the tenant in those days; refusals by the app before that (wrong_account, primary_identity, …) and requests without an answer are left out and listed.";

    private sealed record WindowTotal(string Flow, string Outcome, string ErrorCode, string Shadow, long Count);

    public async Task<ReadinessView> BuildAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = RollupWriter.Hour(now.AddDays(-Days));
        var reader = await TenantLogReaderStatus.ReadAsync(db, polling, now, cancellationToken);
        var depnotesKnown = reader.Covers(since);
        var names = LegacyFlows.Select(l => l.Flow).ToArray();
        var window = await db.FlowRollups.AsNoTracking()
            .Where(r => r.Hour >= since && names.Contains(r.Flow) && r.Operation != ReportFilter.Suggest)
            .GroupBy(r => new { r.Flow, r.Outcome, r.ErrorCode, r.Shadow })
            .Select(g => new WindowTotal(g.Key.Flow, g.Key.Outcome, g.Key.ErrorCode, g.Key.Shadow, g.Sum(r => r.Count)))
            .ToListAsync(cancellationToken);
        var depnotes = await db.TenantLogEvents.AsNoTracking().Where(e => e.Type == "depnote" && e.Date >= since)
            .GroupBy(e => e.Feature).Select(g => new { Feature = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        var (weeksEnd, weekly) = await WeeklyAsync(db, names, now, cancellationToken);

        var result = new List<Readiness>();
        foreach (var legacy in LegacyFlows)
        {
            var rows = window.Where(r => r.Flow == legacy.Flow).ToList();
            var used = rows.Sum(r => r.Count);
            var last = await LastRequestAsync(db, legacy.Flow, cancellationToken);
            var notes = depnotes.FirstOrDefault(d => d.Feature == legacy.Feature)?.Count ?? 0;
            var shadow = Tally(rows);
            var trend = LegacyTrend.Project(weekly.GetValueOrDefault(legacy.Flow, []), weeksEnd, last, now, Days);
            var (state, verdict) = Verdict(legacy.Flow, legacy.Flags, legacy.TenantFlag, legacy.Feature, used, shadow, notes, last, depnotesKnown ? null : reader);
            result.Add(new Readiness(legacy.Flow, legacy.TenantFlag, state, verdict, Rule, used, last, shadow, notes, trend, FlowCatalogue.CautionsOf(legacy.Flow)));
        }
        return new ReadinessView(result, reader, since);
    }

    /// <summary>Why the reader's depnotes do not cover the window, in plain words.</summary>
    public static string WhyUnknown(TenantLogReaderStatus reader) =>
        reader.IsStale ? reader.Summary
        : reader.CoveredFrom is { } from && reader.LogKeptFrom is { } kept && from <= kept
            ? $"the tenant's log goes back only to {kept.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
            : $"the tenant's log was read from {reader.CoveredFrom?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC only";

    /// <param name="unknown">The reader, when its depnotes do not cover the window; null when they do.</param>
    private (ReadinessState, string) Verdict(string flow, string[] routingFlags, string tenantFlag, string feature, long used, ShadowTally shadow, long notes, DateTime? last, TenantLogReaderStatus? unknown)
    {
        var requests = used == 0
            ? $"0 requests in the last {Days} days (last {(last is { } l ? l.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "never")})"
            : $"{used:N0} requests in the last {Days} days ({(shadow.Sent == used ? "all" : $"{shadow.Sent:N0}")} reached the tenant{(shadow.Sent == used ? "" : $", {used - shadow.Sent:N0} did not")})";
        if (tenant.IsAuth0 && GoneAtAuth0.TryGetValue(tenantFlag, out var gone))
        {
            var flags = string.Join(" and ", routingFlags);
            return (ReadinessState.GoneAtAuth0,
                $"{flow}: Auth0 no longer offers {gone}; against {tenant.Authority.Host} this flow can only fail. {requests} → " +
                (used == 0 ? $"keep {flags} off it; " : $"move {flags} off it now; ") + "there is no tenant flag to switch off.");
        }
        if (unknown is not null)
            return (ReadinessState.NotYet, $"{flow}: {requests}, {notes:N0} tenant depnotes for {feature} so far, but the tenant's depnotes " +
                $"are not known for the whole window ({WhyUnknown(unknown)}) → keep {tenantFlag} on");
        return used == 0 && notes == 0
            ? (ReadinessState.Ready, $"{flow}: {requests}, 0 tenant depnotes for {feature} → safe to switch off {tenantFlag}")
            : (ReadinessState.NotYet, $"{flow}: {requests}, {notes:N0} tenant depnotes for {feature} → keep {tenantFlag} on");
    }

    private static ShadowTally Tally(IReadOnlyList<WindowTotal> rows)
    {
        var sent = rows.Where(r => SentToTenant(r.Outcome, r.ErrorCode)).ToList();
        var checkedRows = sent.Where(r => r.Shadow != "").ToList();
        var wouldFail = checkedRows.Where(r => r.Shadow != ShadowCheck.WouldSucceed)
            .GroupBy(r => r.Shadow.StartsWith(ShadowCheck.WouldFailPrefix, StringComparison.Ordinal) ? r.Shadow[ShadowCheck.WouldFailPrefix.Length..] : r.Shadow)
            .Select(g => (g.Key, g.Sum(r => r.Count))).OrderByDescending(f => f.Item2).ThenBy(f => f.Key).ToList();
        var leftOut = rows.Where(r => !SentToTenant(r.Outcome, r.ErrorCode))
            .GroupBy(r => r.ErrorCode is "" ? r.Outcome : r.ErrorCode)
            .Select(g => (g.Key, g.Sum(r => r.Count))).OrderByDescending(l => l.Item2).ThenBy(l => l.Key).ToList();
        return new ShadowTally(sent.Sum(r => r.Count), checkedRows.Sum(r => r.Count),
            checkedRows.Where(r => r.Shadow == ShadowCheck.WouldSucceed).Sum(r => r.Count), wouldFail, leftOut);
    }

    /// <summary>Through the (operation, flow, time) index: one row per operation the flow serves.</summary>
    private static async Task<DateTime?> LastRequestAsync(AppDbContext db, string flow, CancellationToken cancellationToken)
    {
        DateTime? last = null;
        foreach (var operation in FlowCatalogue.All.Where(f => f.Name == flow).Select(f => f.Operation))
        {
            var at = await db.FlowEvents.AsNoTracking().Where(e => e.Operation == operation && e.Flow == flow)
                .OrderByDescending(e => e.At).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(cancellationToken);
            if (at is { } value && (last is null || value > last)) last = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }
        return last;
    }

    /// <summary>
    /// Requests per legacy flow in each complete week ending at the current hour, oldest first: up to
    /// <see cref="LegacyTrend.LookbackWeeks"/>, and only weeks that start after recording began (an earlier week
    /// would count as empty and fake a rise).
    /// </summary>
    private static async Task<(DateTime End, Dictionary<string, long[]> Weekly)> WeeklyAsync(AppDbContext db, string[] flows, DateTime now, CancellationToken cancellationToken)
    {
        var end = RollupWriter.Hour(now);
        var firstHour = await db.FlowRollups.AsNoTracking().MinAsync(r => (DateTime?)r.Hour, cancellationToken);
        if (firstHour is null) return (end, []);
        var weeks = (int)Math.Min(LegacyTrend.LookbackWeeks, Math.Floor((end - firstHour.Value).TotalDays / 7));
        if (weeks <= 0) return (end, []);
        var start = end.AddDays(-7 * weeks);
        var hours = await db.FlowRollups.AsNoTracking()
            .Where(r => r.Hour >= start && r.Hour < end && flows.Contains(r.Flow) && r.Operation != ReportFilter.Suggest)
            .GroupBy(r => new { r.Flow, r.Hour })
            .Select(g => new { g.Key.Flow, g.Key.Hour, Count = g.Sum(r => r.Count) })
            .ToListAsync(cancellationToken);
        var weekly = flows.ToDictionary(f => f, _ => new long[weeks]);
        foreach (var h in hours)
            weekly[h.Flow][(int)((h.Hour - start).TotalDays / 7)] += h.Count;
        return (end, weekly);
    }
}
