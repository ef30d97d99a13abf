namespace LegacyLinking.Web.Health;

/// <summary>
/// What the tenant's depnote ingestion last achieved, for the readiness check: the reader reports each complete read
/// with <see cref="Succeeded"/> and each failed one with <see cref="Failed"/>.
/// </summary>
public sealed class IngestionStatus(MigrationTracking.DepnotePolling polling, TimeProvider clock)
{
    private readonly Lock _gate = new();

    /// <summary>How often it reads; zero or less when it is switched off.</summary>
    public TimeSpan Interval => polling.Interval;

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();
    public DateTimeOffset? LastSucceededAt { get; private set; }
    public DateTimeOffset? LastFailedAt { get; private set; }

    /// <summary>Why the last read failed, in a few words (never a token or a tenant's full answer).</summary>
    public string? LastFailure { get; private set; }

    public void Succeeded()
    {
        lock (_gate) LastSucceededAt = clock.GetUtcNow();
    }

    public void Failed(string reason)
    {
        lock (_gate) (LastFailedAt, LastFailure) = (clock.GetUtcNow(), reason.Length > 200 ? reason[..200] + "…" : reason);
    }
}
