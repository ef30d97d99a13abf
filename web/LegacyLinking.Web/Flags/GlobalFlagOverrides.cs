using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// Overrides for everyone, persisted in the app's database. Read through a short-lived snapshot so every instance
/// sharing the database sees a change within <see cref="MaxStaleness"/>, without a query per evaluation.
/// When the database does not answer, the last overrides read stay in force (a flag must not fall back to its
/// configured allocation, which QA may have overridden for a reason) and <see cref="Freshness"/> says since when.
/// </summary>
public sealed class GlobalFlagOverrides(IDbContextFactory<AppDbContext> databases, TimeProvider clock, ILogger<GlobalFlagOverrides> logger)
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a request waits for a refresh when it could answer with the last overrides: a database that hangs
    /// (rather than refusing at once) must not hold every page.
    /// </summary>
    public static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>When the overrides in force were read, and since when reading them fails (null while it works).</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset? FailingSince)? Freshness =>
        _snapshot is { } snapshot ? (snapshot.ReadAt, snapshot.FailingSince) : null;

    public async ValueTask<IReadOnlyDictionary<string, FlagOverride>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is { } current && Fresh(current)) return current.Overrides;
        var last = _snapshot;
        // Someone else is refreshing: answer with what there is rather than queue behind a database that may hang.
        if (last is not null && !await _refresh.WaitAsync(0, cancellationToken)) return last.Overrides;
        if (last is null) await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } again && Fresh(again)) return again.Overrides;
            last = _snapshot;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (last is not null) wait.CancelAfter(RefreshWait);
            try
            {
                var snapshot = new Snapshot(await ReadAsync(wait.Token), clock.GetUtcNow(), null, clock.GetUtcNow());
                if (last?.FailingSince is { } since)
                    logger.LogInformation("Global flag overrides can be read again (they could not be since {Since:O}).", since);
                _snapshot = snapshot;
                return snapshot.Overrides;
            }
            catch (Exception e) when (last is not null && !cancellationToken.IsCancellationRequested
                && (DatabaseFailures.IsUnavailable(e) || e is OperationCanceledException))
            {
                if (last.FailingSince is null)
                    logger.LogWarning("Global flag overrides could not be read ({Error}); keeping the ones read at {ReadAt:O}.", e.Message, last.ReadAt);
                // Try again after another MaxStaleness, not on every request.
                _snapshot = last with { FailingSince = last.FailingSince ?? clock.GetUtcNow(), CheckedAt = clock.GetUtcNow() };
                return last.Overrides;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool Fresh(Snapshot snapshot) => clock.GetUtcNow() - snapshot.CheckedAt < MaxStaleness;

    private async Task<IReadOnlyDictionary<string, FlagOverride>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return (await db.FlagOverrides.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(r => r.Flag);
    }

    /// <summary>As <see cref="SetAsync(string, string?, FlagActor, CancellationToken)"/> by a user known by id only (no name or email kept).</summary>
    public Task<bool> SetAsync(string flag, string? value, string actorId, CancellationToken cancellationToken = default) =>
        SetAsync(flag, value, new FlagActor(actorId, null, null), cancellationToken);

    /// <summary>
    /// Sets (or with <paramref name="value"/> null, clears) the override and writes the audit row in one transaction.
    /// Safe when several instances set the same flag at once: writers of one flag take turns (<see cref="FlagWriteLock"/>),
    /// so each audit row's old value is the value the previous writer left, and the row itself is written as an upsert.
    /// </summary>
    /// <returns>False when the override already was <paramref name="value"/>: nothing is written, not even an audit row.</returns>
    public async Task<bool> SetAsync(string flag, string? value, FlagActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await FlagWriteLock.TakeAsync(db, flag, cancellationToken);
        var existing = await db.FlagOverrides.AsNoTracking().Where(o => o.Flag == flag).Select(o => o.Value).SingleOrDefaultAsync(cancellationToken);
        if (existing == value) return false;
        var now = clock.GetUtcNow();
        db.FlagAudit.Add(new FlagAuditEntry
        {
            Flag = flag, Scope = "global", OldValue = existing, NewValue = value, Actor = actor.Id, ActorName = actor.Name, ActorEmail = actor.Email, At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (value is null)
            await db.FlagOverrides.Where(o => o.Flag == flag).ExecuteDeleteAsync(cancellationToken);
        else
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "flag_overrides" ("Flag", "Value", "UpdatedAt", "UpdatedBy") VALUES ({flag}, {value}, {now}, {actor.Id})
                ON CONFLICT ("Flag") DO UPDATE SET "Value" = excluded."Value", "UpdatedAt" = excluded."UpdatedAt", "UpdatedBy" = excluded."UpdatedBy"
                """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _snapshot = null; // this instance sees its own change at once
        return true;
    }

    /// <param name="CheckedAt">When the database was last asked (successfully or not).</param>
    private sealed record Snapshot(IReadOnlyDictionary<string, FlagOverride> Overrides, DateTimeOffset ReadAt, DateTimeOffset? FailingSince, DateTimeOffset CheckedAt);
}
