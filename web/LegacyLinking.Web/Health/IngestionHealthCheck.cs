using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LegacyLinking.Web.Health;

/// <summary>
/// The tenant's depnotes were read recently enough: within two intervals (and half a minute) of the last success, or of
/// the start. Degraded, not unhealthy, when not: the migration page's readiness verdicts then miss the newest notices.
/// </summary>
public sealed class IngestionHealthCheck(IngestionStatus status, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (status.Interval <= TimeSpan.Zero) return Task.FromResult(HealthCheckResult.Healthy("Depnote ingestion is switched off."));
        var last = status.LastSucceededAt ?? status.StartedAt;
        var late = clock.GetUtcNow() - last > status.Interval * 2 + Grace;
        var failing = status.LastFailedAt is { } failed && failed > (status.LastSucceededAt ?? DateTimeOffset.MinValue);
        return Task.FromResult(!late && !failing
            ? HealthCheckResult.Healthy($"Depnotes read {(status.LastSucceededAt is { } at ? $"at {at.UtcDateTime:HH:mm:ss} UTC" : "not yet (the first read is due)")}.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"Depnotes not read since {(status.LastSucceededAt is { } ok ? $"{ok.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "the start")}: {status.LastFailure ?? "no read finished"}."));
    }
}
