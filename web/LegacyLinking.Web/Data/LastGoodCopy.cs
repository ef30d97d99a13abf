namespace LegacyLinking.Web.Data;

/// <summary>The timings of every <see cref="LastGoodCopy{T}"/>.</summary>
public static class LastGoodCopy
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the copy is read again while notifications arrive: a fallback, should one be lost.</summary>
    public static readonly TimeSpan SlowPoll = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request waits for a refresh when it could answer with the last copy: a database that hangs (rather
    /// than refusing at once) must not hold every page.
    /// </summary>
    public static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(2);
}

/// <summary>
/// An in-memory copy of a small table that every request reads (the global flag overrides, the ramp plans), so a
/// request does not query the database. Read again once it is <see cref="LastGoodCopy.MaxStaleness"/> old, so every instance
/// sharing the database sees a change within it; on PostgreSQL a change notifies every instance, which reads the table
/// again at its next use, and a copy read while notifications arrive (none during the read) stays for
/// <see cref="LastGoodCopy.SlowPoll"/>, a fallback should one be lost. When the database does not answer, the last copy read stays
/// in force (a flag or a ramp must not fall back to its configured allocation because a read failed) and
/// <see cref="Freshness"/> says since when.
/// </summary>
public sealed class LastGoodCopy<T> where T : class
{
    private readonly string _what;
    private readonly Func<CancellationToken, Task<T>> _read;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DatabaseNotifications? _notifications;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>Changes announced since start: a copy read while one arrived is not kept for long.</summary>
    private long _changes;

    /// <param name="what">What the copy holds, for the log ("Global flag overrides").</param>
    /// <param name="notification">The payload by which any instance announces a change of the table.</param>
    public LastGoodCopy(string what, Func<CancellationToken, Task<T>> read, TimeProvider clock, ILogger logger,
        DatabaseNotifications? notifications, string notification)
    {
        _what = what;
        _read = read;
        _clock = clock;
        _logger = logger;
        _notifications = notifications;
        if (notifications is null) return;
        notifications.Received += payload =>
        {
            if (payload == notification) Changed();
        };
        notifications.Reset += Changed;
    }

    /// <summary>When the copy in force was read, and since when reading fails (null while it works); null before any read.</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset? FailingSince)? Freshness =>
        _snapshot is { } snapshot ? (snapshot.ReadAt, snapshot.FailingSince) : null;

    /// <summary>
    /// The table changed (this instance wrote it, or another said so): the next use reads it again. The copy stays as
    /// the fallback: if the database does not answer that read (a listener's reset is often the first sign of an
    /// outage), it stays in force.
    /// </summary>
    public void Changed()
    {
        Interlocked.Increment(ref _changes);
        if (_snapshot is { } snapshot) _snapshot = snapshot with { CheckedAt = DateTimeOffset.MinValue };
    }

    public async ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is { } current && Fresh(current)) return current.Value;
        var last = _snapshot;
        // Someone else is refreshing: answer with what there is rather than queue behind a database that may hang.
        if (last is not null && !await _refresh.WaitAsync(0, cancellationToken)) return last.Value;
        if (last is null) await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } again && Fresh(again)) return again.Value;
            last = _snapshot;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (last is not null) wait.CancelAfter(LastGoodCopy.RefreshWait);
            try
            {
                var changes = Interlocked.Read(ref _changes);
                var value = await _read(wait.Token);
                var notified = _notifications?.Listening == true && Interlocked.Read(ref _changes) == changes;
                if (last?.FailingSince is { } since)
                    _logger.LogInformation("{What} can be read again (they could not be since {Since:O}).", _what, since);
                _snapshot = new Snapshot(value, _clock.GetUtcNow(), null, _clock.GetUtcNow(), notified);
                return value;
            }
            catch (Exception e) when (last is not null && !cancellationToken.IsCancellationRequested
                && (DatabaseFailures.IsUnavailable(e) || e is OperationCanceledException))
            {
                if (last.FailingSince is null)
                    _logger.LogWarning("{What} could not be read ({Error}); keeping the ones read at {ReadAt:O}.", _what, e.Message, last.ReadAt);
                // Try again after another MaxStaleness, not on every request.
                _snapshot = last with { FailingSince = last.FailingSince ?? _clock.GetUtcNow(), CheckedAt = _clock.GetUtcNow(), Notified = false };
                return last.Value;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool Fresh(Snapshot snapshot) =>
        _clock.GetUtcNow() - snapshot.CheckedAt < (snapshot.Notified && _notifications?.Listening == true ? LastGoodCopy.SlowPoll : LastGoodCopy.MaxStaleness);

    /// <param name="CheckedAt">When the database was last asked (successfully or not).</param>
    /// <param name="Notified">Read while notifications arrived and none came during the read: it stays until the next one.</param>
    private sealed record Snapshot(T Value, DateTimeOffset ReadAt, DateTimeOffset? FailingSince, DateTimeOffset CheckedAt, bool Notified);
}
