using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Authentication;

/// <summary>One user's "sessions valid after" time: sessions signed in before <see cref="Cut"/> (UTC ticks) are over.</summary>
public sealed class SessionCut
{
    public string UserId { get; set; } = "";
    public long Cut { get; set; }
}

/// <summary>
/// The users' cuts in the app's database, whatever the session store: a cut must reach every instance on the database
/// and must never move back. Raising one is a single upsert that keeps the later of the stored and the new time, so
/// two instances cutting at once (a reset answered on one, a link on another) leave the later cut, whichever commits
/// last. A row per user that ever had a cut; an old cut ends nothing that a newer sign-in holds, so rows are kept.
/// </summary>
/// <remarks>
/// Every signed-in request reads its user's cut: on PostgreSQL it is served from <see cref="NotifiedCache"/>, and a
/// new cut notifies every instance in the transaction that writes it. While an instance is not listening it reads
/// the database, so a cut is never missed.
/// <para>While the database is down, a cut is answered from the last one this instance read or wrote, so signed-in pages
/// that need no database keep working through a blink. What that misses is a cut another instance wrote that this one
/// never read: one made just before the outage (none can be written during it). Only the
/// <paramref name="lastKnownCapacity"/> users seen most recently are kept (a user signed in lately is seen on each of
/// their requests): memory stays bounded however many users an instance serves over its life.</para>
/// </remarks>
public sealed class SessionCuts(IDbContextFactory<AppDbContext> databases, NotifiedCache cache, int lastKnownCapacity = SessionCuts.DefaultLastKnownCapacity)
{
    public const int DefaultLastKnownCapacity = 100_000;

    private readonly LastKnownCuts _lastKnown = new(lastKnownCapacity);

    public async Task<long?> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            var cut = await cache.GetOrReadAsync(CacheKey(userId), async ct =>
            {
                await using var db = await databases.CreateDbContextAsync(ct);
                return await db.SessionCuts.AsNoTracking().Where(c => c.UserId == userId).Select(c => (long?)c.Cut).SingleOrDefaultAsync(ct);
            }, cancellationToken);
            if (cut is { } known) Remember(userId, known);
            return cut;
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            return _lastKnown.Find(userId);
        }
    }

    private void Remember(string userId, long cut) => _lastKnown.Remember(userId, cut);

    /// <summary>The cache key and the notification of a change of the user's cut.</summary>
    private static string CacheKey(string userId) => "cut:" + userId;

    /// <summary>Moves the user's cut to <paramref name="ticks"/> unless it is already later.</summary>
    public async Task RaiseAsync(string userId, long ticks, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "session_cuts" ("UserId", "Cut") VALUES ({userId}, {ticks})
                ON CONFLICT ("UserId") DO UPDATE SET "Cut" = greatest("session_cuts"."Cut", excluded."Cut")
                """, cancellationToken);
            await db.Database.ExecuteSqlAsync(DatabaseNotifications.Notify(CacheKey(userId)), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "session_cuts" ("UserId", "Cut") VALUES ({userId}, {ticks})
                ON CONFLICT ("UserId") DO UPDATE SET "Cut" = max("session_cuts"."Cut", excluded."Cut")
                """, cancellationToken);
        cache.Forget(CacheKey(userId)); // this instance sees its own cut at once
        Remember(userId, ticks);
    }
}

/// <summary>The latest cut of each of the most recently seen users, at most <c>capacity</c> of them (the least recently seen goes).</summary>
internal sealed class LastKnownCuts(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string UserId, long Cut)>> _byUser = new(StringComparer.Ordinal);
    private readonly LinkedList<(string UserId, long Cut)> _recency = new();

    /// <summary>Keeps the later of the stored and the new cut (a cut never moves back) and marks the user as just seen.</summary>
    public void Remember(string userId, long cut)
    {
        lock (_gate)
        {
            if (_byUser.Remove(userId, out var node))
            {
                cut = Math.Max(cut, node.Value.Cut);
                _recency.Remove(node);
            }
            _byUser[userId] = _recency.AddFirst((userId, cut));
            if (_byUser.Count <= Math.Max(capacity, 1)) return;
            var oldest = _recency.Last!;
            _recency.RemoveLast();
            _byUser.Remove(oldest.Value.UserId);
        }
    }

    public long? Find(string userId)
    {
        lock (_gate) return _byUser.TryGetValue(userId, out var node) ? node.Value.Cut : null;
    }
}
