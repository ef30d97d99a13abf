using LegacyLinking.Web.MigrationTracking;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LegacyLinking.Web.Health;

/// <summary>
/// The migration record's writer runs and comes round: at least every second while idle, within a write's time
/// (at most 15 s) while busy. A writer that stopped or hangs would let the queue fill and drop records.
/// </summary>
public sealed class RecordWriterHealthCheck(FlowEventWriter writer, RecordJournal journal, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (writer.ExecuteTask is { IsCompleted: true })
            return Task.FromResult(HealthCheckResult.Unhealthy("The migration record's writer is not running: records are not being stored."));
        var since = clock.GetUtcNow() - writer.LastRound;
        if (since > StalledAfter)
            return Task.FromResult(HealthCheckResult.Unhealthy($"The migration record's writer has not come round for {since.TotalSeconds:0} s."));
        return Task.FromResult(journal.PendingEvents > 0
            ? HealthCheckResult.Degraded($"{journal.PendingEvents} record(s) wait in the journal for the database.")
            : HealthCheckResult.Healthy("The migration record's writer runs."));
    }
}
