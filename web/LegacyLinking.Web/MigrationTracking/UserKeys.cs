using System.Data;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>A user the migration record has seen, numbered for the events' user index (<see cref="FlowEvent.UserKey"/>).</summary>
public sealed class FlowUser
{
    public int Key { get; set; }
    public string UserId { get; set; } = "";
}

/// <summary>
/// Numbers users for the events' index: the same number for a user however many writers (app instances) see them,
/// settled by the database (insert-if-absent on the unique user id, then read back).
/// </summary>
public static class UserKeys
{
    /// <summary>
    /// The events of one user, read through the user index. SQLite is told to (<c>INDEXED BY</c>): without statistics
    /// its planner prefers the (operation, flow, time) index as soon as those are filtered too, and then reads a whole
    /// flow's events to find one user's (0.8 s instead of 4 ms over a million events).
    /// </summary>
    public static IQueryable<FlowEvent> EventsOf(AppDbContext db, string userId)
    {
        var events = db.Database.IsSqlite()
            ? db.FlowEvents.FromSqlRaw("""SELECT * FROM "flow_events" INDEXED BY "IX_flow_events_UserKey" """)
            : db.FlowEvents;
        return events.AsNoTracking().Where(e => e.UserKey == db.FlowUsers.Where(u => u.UserId == userId).Select(u => u.Key).FirstOrDefault());
    }

    /// <summary>
    /// Sets <see cref="FlowEvent.UserKey"/> on every event of the batch, numbering new users, inside the caller's
    /// transaction; answers the keys the cache did not know, for <see cref="UserKeyCache.Remember"/> once committed.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> AssignAsync(AppDbContext db, IReadOnlyCollection<FlowEvent> batch, UserKeyCache cache, CancellationToken cancellationToken)
    {
        var unknown = batch.Select(e => e.UserId).Where(id => !cache.TryGet(id, out _)).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (unknown.Count > 0)
        {
            await MultiRowInsert.ExecuteAsync(db, """INSERT INTO "flow_users" ("UserId")""", [DbType.String],
                unknown.Select(id => new object?[] { id }).ToList(), """ON CONFLICT ("UserId") DO NOTHING""", cancellationToken);
            foreach (var chunk in unknown.Chunk(1_000))
            {
                var ids = chunk.ToList();
                foreach (var user in await db.FlowUsers.AsNoTracking().Where(u => ids.Contains(u.UserId)).ToListAsync(cancellationToken))
                    found[user.UserId] = user.Key;
            }
        }
        foreach (var e in batch)
            e.UserKey = cache.TryGet(e.UserId, out var key) ? key : found[e.UserId];
        return found;
    }
}

/// <summary>
/// The user keys one writer has read, so a batch asks the database only about users it has not seen. Bounded: it
/// forgets everything past <see cref="MaxUsers"/>. Not thread-safe: one writer loop owns it.
/// </summary>
public sealed class UserKeyCache
{
    public const int MaxUsers = 100_000;
    private readonly Dictionary<string, int> _keys = new(StringComparer.Ordinal);

    public bool TryGet(string userId, out int key) => _keys.TryGetValue(userId, out key);

    /// <summary>Call only once the keys are committed (a rolled-back number may be given to another user).</summary>
    public void Remember(IReadOnlyDictionary<string, int> keys)
    {
        if (_keys.Count + keys.Count > MaxUsers) _keys.Clear();
        foreach (var (userId, key) in keys) _keys[userId] = key;
    }
}
