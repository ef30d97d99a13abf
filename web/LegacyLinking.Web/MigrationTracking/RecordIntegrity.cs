using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>One stretch where records may be missing, in the words the migration page uses.</summary>
public sealed record GapLine(string Kind, DateTime From, DateTime To, long? Events, string Instance)
{
    public string Sentence => Kind switch
    {
        RecordGapKinds.UncleanStop => $"Records between {Time(From)} and {Time(To)} UTC may be missing: the app ({Instance}) stopped without flushing.",
        RecordGapKinds.QueueFull => $"{Events:N0} record(s) between {Time(From)} and {Time(To)} UTC were dropped: the queue was full ({Instance}).",
        RecordGapKinds.Refused => $"{Events:N0} record(s) between {Time(From)} and {Time(To)} UTC were refused by the database ({Instance}).",
        RecordGapKinds.FileVanished => $"The database file was deleted at about {Time(From)} UTC ({Instance}): records stored before then are not in this database.",
        _ => $"Records between {Time(From)} and {Time(To)} UTC may be missing ({Kind}, {Instance}).",
    };

    private static string Time(DateTime at) => at.ToString(at.Date == DateTime.UtcNow.Date ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss");
}

/// <summary>How complete the record is: the gaps every instance stored, and this instance's records not written yet.</summary>
public sealed record RecordCompleteness(
    IReadOnlyList<GapLine> Recent, int GapCount, long Dropped, long Refused, int UncleanStops, int FilesVanished,
    int Queued, int Journaled, DateTimeOffset? DatabaseUnavailableSince)
{
    public bool Complete => GapCount == 0;
}

/// <summary>Reads <see cref="RecordCompleteness"/> for the migration page.</summary>
public sealed class RecordIntegrity(IDbContextFactory<AppDbContext> databases, FlowEventRecorder recorder, FlowEventWriter writer, RecordJournal journal)
{
    public const int RecentGaps = 20;

    public async Task<RecordCompleteness> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var totals = await db.RecordGaps.AsNoTracking().GroupBy(g => g.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Count(), Events = g.Sum(x => x.Events ?? 0) })
            .ToListAsync(cancellationToken);
        var recent = await db.RecordGaps.AsNoTracking().OrderByDescending(g => g.From).ThenByDescending(g => g.Id).Take(RecentGaps)
            .Select(g => new GapLine(g.Kind, g.From, g.To, g.Events, g.Instance))
            .ToListAsync(cancellationToken);
        long Events(string kind) => totals.FirstOrDefault(t => t.Kind == kind)?.Events ?? 0;
        int Count(string kind) => totals.FirstOrDefault(t => t.Kind == kind)?.Count ?? 0;
        return new RecordCompleteness(
            recent, totals.Sum(t => t.Count), Events(RecordGapKinds.QueueFull), Events(RecordGapKinds.Refused),
            Count(RecordGapKinds.UncleanStop), Count(RecordGapKinds.FileVanished),
            recorder.Pending, journal.PendingEvents, writer.UnavailableSince);
    }
}
