using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The event list's and the export's query: the filters, newest first.</summary>
public static class EventQuery
{
    public const int PageSize = 50;

    public static IQueryable<FlowEvent> Apply(AppDbContext db, ReportFilter filter)
    {
        var events = (filter.UserId is null ? db.FlowEvents.AsNoTracking() : UserKeys.EventsOf(db, filter.UserId))
            .Where(e => e.At >= filter.From && e.At < filter.To);
        if (filter.Operation is not null) events = events.Where(e => e.Operation == filter.Operation);
        if (filter.Flow is not null) events = events.Where(e => e.Flow == filter.Flow);
        if (filter.Outcome is not null) events = events.Where(e => e.Outcome == filter.Outcome);
        return events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }
}
