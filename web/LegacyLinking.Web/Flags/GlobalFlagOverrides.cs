using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// Overrides for everyone, persisted in the app's database. Read through a short-lived snapshot so every instance
/// sharing the database sees a change within <see cref="MaxStaleness"/>, without a query per evaluation.
/// </summary>
public sealed class GlobalFlagOverrides(IDbContextFactory<AppDbContext> databases, TimeProvider clock)
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    public async ValueTask<IReadOnlyDictionary<string, FlagOverride>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is { } current && clock.GetUtcNow() - current.ReadAt < MaxStaleness) return current.Overrides;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } again && clock.GetUtcNow() - again.ReadAt < MaxStaleness) return again.Overrides;
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var rows = await db.FlagOverrides.AsNoTracking().ToListAsync(cancellationToken);
            var snapshot = new Snapshot(rows.ToDictionary(r => r.Flag), clock.GetUtcNow());
            _snapshot = snapshot;
            return snapshot.Overrides;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Sets (or with <paramref name="value"/> null, clears) the override and writes the audit row in one transaction.</summary>
    public async Task SetAsync(string flag, string? value, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.FlagOverrides.SingleOrDefaultAsync(o => o.Flag == flag, cancellationToken);
        var now = clock.GetUtcNow();
        if (existing?.Value == value) return;
        db.FlagAudit.Add(new FlagAuditEntry
        {
            Flag = flag, Scope = "global", OldValue = existing?.Value, NewValue = value, Actor = actor, At = now,
        });
        if (value is null)
        {
            if (existing is not null) db.FlagOverrides.Remove(existing);
        }
        else if (existing is null)
        {
            db.FlagOverrides.Add(new FlagOverride { Flag = flag, Value = value, UpdatedAt = now, UpdatedBy = actor });
        }
        else
        {
            existing.Value = value;
            existing.UpdatedAt = now;
            existing.UpdatedBy = actor;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _snapshot = null; // this instance sees its own change at once
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, FlagOverride> Overrides, DateTimeOffset ReadAt);
}
