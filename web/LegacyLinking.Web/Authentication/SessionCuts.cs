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
public sealed class SessionCuts(IDbContextFactory<AppDbContext> databases)
{
    public async Task<long?> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.SessionCuts.AsNoTracking().Where(c => c.UserId == userId).Select(c => (long?)c.Cut).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Moves the user's cut to <paramref name="ticks"/> unless it is already later.</summary>
    public async Task RaiseAsync(string userId, long ticks, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "session_cuts" ("UserId", "Cut") VALUES ({userId}, {ticks})
                ON CONFLICT ("UserId") DO UPDATE SET "Cut" = greatest("session_cuts"."Cut", excluded."Cut")
                """, cancellationToken);
        else
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "session_cuts" ("UserId", "Cut") VALUES ({userId}, {ticks})
                ON CONFLICT ("UserId") DO UPDATE SET "Cut" = max("session_cuts"."Cut", excluded."Cut")
                """, cancellationToken);
    }
}
