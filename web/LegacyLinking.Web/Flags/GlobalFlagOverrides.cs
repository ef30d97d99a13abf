using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// Overrides for everyone, persisted in the app's database and read through a <see cref="LastGoodCopy{T}"/>: every
/// instance sharing the database sees a change within <see cref="MaxStaleness"/> (at its next evaluation on PostgreSQL,
/// which notifies every instance), without a query per evaluation. When the database does not answer, the last
/// overrides read stay in force (a flag must not fall back to its configured allocation, which QA may have overridden
/// for a reason) and <see cref="Freshness"/> says since when.
/// </summary>
public sealed class GlobalFlagOverrides
{
    public static readonly TimeSpan MaxStaleness = LastGoodCopy.MaxStaleness;

    /// <summary>The notification of a change of any global override.</summary>
    public const string Notification = "flags";

    private readonly IDbContextFactory<AppDbContext> databases;
    private readonly TimeProvider clock;
    private readonly LastGoodCopy<IReadOnlyDictionary<string, FlagOverride>> _overrides;

    public GlobalFlagOverrides(IDbContextFactory<AppDbContext> databases, TimeProvider clock, ILogger<GlobalFlagOverrides> logger,
        DatabaseNotifications? notifications = null)
    {
        this.databases = databases;
        this.clock = clock;
        _overrides = new("Global flag overrides", ReadAsync, clock, logger, notifications, Notification);
    }

    /// <summary>When the overrides in force were read, and since when reading them fails (null while it works).</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset? FailingSince)? Freshness => _overrides.Freshness;

    public ValueTask<IReadOnlyDictionary<string, FlagOverride>> GetAllAsync(CancellationToken cancellationToken = default) =>
        _overrides.GetAsync(cancellationToken);

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
        // Sent when the transaction commits, so no instance reads the overrides before the change is there.
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlAsync(DatabaseNotifications.Notify(Notification), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _overrides.Changed(); // this instance sees its own change at once
        return true;
    }
}
