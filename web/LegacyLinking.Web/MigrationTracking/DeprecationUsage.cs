using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// One deprecated feature used by one application: from the tenant's depnotes, first and last seen and how many.
/// <see cref="Description"/> is the tenant's text, kept for an unrecognised feature (the key is then
/// <see cref="DeprecationFeatures.Unrecognised"/>). A real tenant notes a feature once an hour, for the first
/// application that uses it in that hour, so <see cref="Notices"/> counts hours, not uses.
/// </summary>
public sealed record ApplicationUsage(
    string Feature, string FeatureName, string? TenantFlag, string? Description,
    string? ClientId, string? ClientName, DateTime FirstSeen, DateTime LastSeen, long Notices)
{
    public bool IsRecognised => Feature != DeprecationFeatures.Unrecognised;
}

/// <summary>
/// The depnote figures for the migration page and its readiness verdicts: which application still uses which deprecated
/// feature (<see cref="ByApplicationAsync"/>), and the reader's state (<see cref="ReaderAsync"/>).
/// </summary>
public sealed class DeprecationUsage(IDbContextFactory<AppDbContext> databases, DepnotePolling polling, TimeProvider clock)
{
    /// <summary>Per feature × application: recognised features in <see cref="DeprecationFeatures.Known"/> order, unrecognised texts last; most recent first.</summary>
    public async Task<IReadOnlyList<ApplicationUsage>> ByApplicationAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var groups = await db.TenantLogEvents.AsNoTracking()
            .Where(e => e.Type == "depnote")
            .GroupBy(e => new
            {
                e.Feature,
                Text = e.Feature == DeprecationFeatures.Unrecognised ? e.Description : null,
                e.ClientId,
                e.ClientName,
            })
            .Select(g => new { g.Key.Feature, g.Key.Text, g.Key.ClientId, g.Key.ClientName, First = g.Min(e => e.Date), Last = g.Max(e => e.Date), Count = g.LongCount() })
            .ToListAsync(cancellationToken);

        // An application renamed in the tenant is one application: its latest name stands for it.
        return groups
            .GroupBy(g => (Feature: g.Feature ?? DeprecationFeatures.Unrecognised, g.Text, g.ClientId))
            .Select(app =>
            {
                var feature = DeprecationFeatures.Find(app.Key.Feature);
                return new ApplicationUsage(
                    app.Key.Feature, feature?.Name ?? "Unrecognised deprecation notice", feature?.TenantFlag, app.Key.Text,
                    app.Key.ClientId, app.MaxBy(g => g.Last)!.ClientName,
                    app.Min(g => g.First), app.Max(g => g.Last), app.Sum(g => g.Count));
            })
            .OrderBy(u => Rank(u.Feature)).ThenBy(u => u.Description).ThenByDescending(u => u.LastSeen).ThenBy(u => u.ClientId)
            .ToList();
    }

    public async Task<TenantLogReaderStatus> ReaderAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await TenantLogReaderStatus.ReadAsync(db, polling, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private static int Rank(string feature)
    {
        var index = DeprecationFeatures.Known.Select(f => f.Key).ToList().IndexOf(feature);
        return index < 0 ? int.MaxValue : index;
    }
}
