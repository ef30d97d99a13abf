namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Where the tenant log reader stands, persisted so a restart resumes and the migration page can say how far the
/// depnote figures reach. One row (<see cref="DefaultName"/>).
/// </summary>
public sealed class TenantLogReaderState
{
    public const string DefaultName = "tenant-logs";

    public string Name { get; set; } = DefaultName;

    /// <summary>The next checkpoint page: Auth0's <c>Link rel="next"</c> URL (only the first one is built by the app).</summary>
    public string? NextLink { get; set; }

    /// <summary>The <c>log_id</c> of the last event read (at first, the newest event when reading started).</summary>
    public string? Checkpoint { get; set; }

    /// <summary>The next page of the first run's look-back search, while it is unfinished.</summary>
    public int? LookbackPage { get; set; }

    /// <summary>When reading started (the checkpoint was anchored at the tenant's newest event).</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>
    /// Depnotes from here on are known: the look-back's start (on the hour), or the anchor without one — and never
    /// before <see cref="LogKeptFrom"/>.
    /// </summary>
    public DateTime? CoveredFrom { get; set; }

    /// <summary>
    /// The oldest event the tenant still kept when the look-back began (Auth0 keeps logs for its plan's retention,
    /// 1 to 30 days): nothing older can be read, so the figures cannot reach back further. Null until asked.
    /// </summary>
    public DateTime? LogKeptFrom { get; set; }

    /// <summary>Depnotes up to here are known: the newest event read, or the last read that found nothing newer.</summary>
    public DateTime? CoveredUntil { get; set; }

    /// <summary>True when the last read reached the newest event; false while pages are still waiting (budget, rate limit).</summary>
    public bool CaughtUp { get; set; }

    public DateTime? LastReadAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastErrorAt { get; set; }

    /// <summary>The last failure in plain words (no token, no URL query); cleared by the next success.</summary>
    public string? LastError { get; set; }

    /// <summary>Tenant log events read, of every type (the reader filters depnotes itself).</summary>
    public long EventsRead { get; set; }

    /// <summary>Depnotes stored (each log_id once).</summary>
    public long DepnotesStored { get; set; }

    /// <summary>Management API calls made.</summary>
    public long Calls { get; set; }
}
