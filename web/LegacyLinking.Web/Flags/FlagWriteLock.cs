using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// Makes writers of one global override take turns, across every instance on the database, until their transaction
/// ends. PostgreSQL: a transaction-scoped advisory lock on the flag's name (read committed alone lets two writers read
/// "no override" and both insert, or both audit the same old value). SQLite: the transaction already holds the
/// database's write lock from its first statement (Microsoft.Data.Sqlite begins it <c>IMMEDIATE</c>), so there is
/// nothing more to take.
/// </summary>
public static class FlagWriteLock
{
    public static async Task TakeAsync(AppDbContext db, string flag, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql()) return;
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"flag_overrides:" + flag}, 0))", cancellationToken);
    }
}
