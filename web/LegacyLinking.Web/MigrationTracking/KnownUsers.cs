using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The users the record has seen, for the user filter: its suggestions, and what a typed id means.</summary>
public static class KnownUsers
{
    /// <summary>At most this many suggestions in the filter (a datalist of thousands helps nobody); typing narrows them.</summary>
    public const int MaxOffered = 200;

    /// <summary>
    /// The recorded user id the filter means: the id as typed when the record knows it, otherwise the one recorded id
    /// that differs only in case (<c>AUTH0|ABC</c> finds <c>auth0|abc</c>), otherwise the id as typed (which finds nothing).
    /// </summary>
    public static async Task<string> ResolveAsync(AppDbContext db, string userId, CancellationToken cancellationToken)
    {
        if (await db.FlowUsers.AnyAsync(u => u.UserId == userId, cancellationToken)) return userId;
        var lower = userId.ToLowerInvariant();
        var matches = await db.FlowUsers.Where(u => u.UserId.ToLower() == lower).Select(u => u.UserId).Take(2).ToListAsync(cancellationToken);
        return matches.Count == 1 ? matches[0] : userId;
    }

    /// <summary>Users active on a day of the range, in id order, at most <see cref="MaxOffered"/>.</summary>
    public static Task<List<string>> ActiveInAsync(AppDbContext db, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        UserMonths.ActiveIn(db.FlowUserMonths.AsNoTracking(), from, to)
            .Select(u => u.UserId).Distinct().OrderBy(u => u).Take(MaxOffered)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// How many users made a link or unlink request on a day of the range (suggestions are not requests of theirs): one
    /// pass over the user-month rows of the months the range touches (their key leads with the month), not over the events.
    /// </summary>
    public static Task<int> CountRequestersAsync(AppDbContext db, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        UserMonths.ActiveIn(db.FlowUserMonths.AsNoTracking(), from, to)
            .Where(u => u.Operation != ReportFilter.Suggest)
            .Select(u => u.UserId).Distinct().CountAsync(cancellationToken);
}
