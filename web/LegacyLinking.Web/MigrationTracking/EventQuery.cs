using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The event list's and the export's query: the filters, newest first.</summary>
public static class EventQuery
{
    public const int PageSize = 50;

    /// <summary>
    /// The filter tightened by the rollups, or null when no rollup matches: the time range shrinks to the hours that hold
    /// matching events, and a flow that only ever served one operation gets that operation, so the (operation, flow,
    /// time) index serves the list. Without it, a filter on flow or outcome alone reads the events newest first until a
    /// page is full: through the whole range for a flow nobody uses any more (7 s over a million SQLite events), which
    /// is the flow a team checks last.
    /// </summary>
    public static async Task<ReportFilter?> NarrowAsync(AppDbContext db, ReportFilter filter, CancellationToken cancellationToken)
    {
        if (filter.UserId is not null || filter is { Operation: null, Flow: null, Outcome: null, ExcludeSuggestions: false }) return filter;
        var fromHour = RollupWriter.Hour(filter.From);
        var hours = db.FlowRollups.AsNoTracking().Where(r => r.Hour >= fromHour && r.Hour < filter.To);
        if (filter.Operation is not null) hours = hours.Where(r => r.Operation == filter.Operation);
        else if (filter.ExcludeSuggestions) hours = hours.Where(r => r.Operation != ReportFilter.Suggest);
        if (filter.Flow is not null) hours = hours.Where(r => r.Flow == filter.Flow);
        if (filter.Outcome is not null) hours = hours.Where(r => r.Outcome == filter.Outcome);
        var spans = await hours.GroupBy(r => r.Operation)
            .Select(g => new { Operation = g.Key, First = g.Min(r => r.Hour), Last = g.Max(r => r.Hour) })
            .ToListAsync(cancellationToken);
        if (spans.Count == 0) return null;
        var first = spans.Min(s => s.First);
        var to = spans.Max(s => s.Last).AddHours(1);
        return filter with
        {
            From = first > filter.From ? first : filter.From,
            To = to < filter.To ? to : filter.To,
            Operation = filter.Operation ?? (filter.Flow is not null && spans.Count == 1 ? spans[0].Operation : null),
        };
    }

    /// <summary>The list and the export: the filter narrowed by the rollups, newest first (nothing when no rollup matches).</summary>
    public static async Task<IQueryable<FlowEvent>> ListAsync(AppDbContext db, ReportFilter filter, CancellationToken cancellationToken) =>
        await NarrowAsync(db, filter, cancellationToken) is { } narrowed ? Apply(db, narrowed) : db.FlowEvents.Where(_ => false);

    public static IQueryable<FlowEvent> Apply(AppDbContext db, ReportFilter filter)
    {
        var events = (filter.UserId is null ? db.FlowEvents.AsNoTracking() : UserKeys.EventsOf(db, filter.UserId))
            .Where(e => e.At >= filter.From && e.At < filter.To);
        if (filter.Operation is not null) events = events.Where(e => e.Operation == filter.Operation);
        else if (filter.ExcludeSuggestions) events = events.Where(e => e.Operation != ReportFilter.Suggest);
        if (filter.Flow is not null) events = events.Where(e => e.Flow == filter.Flow);
        if (filter.Outcome is not null) events = events.Where(e => e.Outcome == filter.Outcome);
        return events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }
}
