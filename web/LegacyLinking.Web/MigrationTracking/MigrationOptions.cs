using System.ComponentModel.DataAnnotations;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The <c>Migration</c> section: the migration record's queue, writer and the tenant log reader.</summary>
public sealed class MigrationOptions
{
    public const string Section = "Migration";

    /// <summary>Events the queue holds before it drops (never blocks a request).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = FlowEventRecorder.DefaultCapacity;

    /// <summary>How long a batch may fill before it is written (<see cref="FlowEventWriter.DefaultLinger"/>).</summary>
    [Range(0, 60_000)]
    public int WriterLingerMilliseconds { get; set; } = (int)FlowEventWriter.DefaultLinger.TotalMilliseconds;

    /// <summary>How often the tenant's deprecation notices are read; 0 switches it off.</summary>
    [Range(0, 86_400)]
    public int DepnotePollSeconds { get; set; } = DepnotePolling.DefaultSeconds;

    /// <summary>
    /// This instance's local journal: records the database cannot take wait there, and a marker there reveals a stop
    /// without flushing. Empty: <c>App_Data/record-journal</c> under the app.
    /// </summary>
    public string? JournalPath { get; set; }

    /// <summary>
    /// How far the reader's first run looks back for depnotes. Auth0 keeps tenant logs 1 to 30 days by plan: a longer
    /// look-back finds nothing more. 0 starts from now.
    /// </summary>
    [Range(0, 30)]
    public int DepnoteLookbackDays { get; set; } = DepnotePolling.DefaultLookbackDays;

    /// <summary>The most Management API calls a minute the log reader may spend (<see cref="TenantLogBudget"/>).</summary>
    [Range(1, 600)]
    public int DepnoteMaxCallsPerMinute { get; set; } = TenantLogBudget.DefaultCallsPerMinute;

    /// <summary>False records nothing (the benchmark's baseline; an operator's escape hatch).</summary>
    public bool Recording { get; set; } = true;
}
