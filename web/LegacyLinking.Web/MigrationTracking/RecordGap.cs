namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// A stretch of time in which records may be missing, and why (table <c>record_gaps</c>): what lets the migration page
/// say where the record is not complete. Written by every instance into the shared database, so the page sums them all.
/// </summary>
public sealed class RecordGap
{
    public long Id { get; set; }
    /// <summary>One of <see cref="RecordGapKinds"/>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>UTC, both ends.</summary>
    public DateTime From { get; set; }
    public DateTime To { get; set; }
    /// <summary>How many records are missing, when that is known (not after an unclean stop).</summary>
    public long? Events { get; set; }
    /// <summary>Which app instance (machine and journal) it happened to.</summary>
    public string Instance { get; set; } = "";
    public DateTime DetectedAt { get; set; }
}

public static class RecordGapKinds
{
    /// <summary>The app stopped without flushing (killed, crashed, power cut): what was queued then is gone.</summary>
    public const string UncleanStop = "unclean-stop";
    /// <summary>The queue was full (the writer could not keep up): these records were dropped.</summary>
    public const string QueueFull = "queue-full";
    /// <summary>The database refused the batch outright (not a passing failure): these records were not stored.</summary>
    public const string Refused = "refused";
    /// <summary>The SQLite file was deleted while the app ran: what it held before is not in this database.</summary>
    public const string FileVanished = "file-vanished";
}

/// <summary>A journal file already written to the database (table <c>record_journal_replays</c>), so a replay is never applied twice.</summary>
public sealed class RecordJournalReplay
{
    public string File { get; set; } = "";
    public int Events { get; set; }
    public DateTime ReplayedAt { get; set; }
}
