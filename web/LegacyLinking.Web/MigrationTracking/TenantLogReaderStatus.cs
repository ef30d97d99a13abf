using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>Where the tenant log reader stands (<see cref="TenantLogReaderState"/>), and whether its figures can be trusted now.</summary>
public sealed record TenantLogReaderStatus(
    bool Enabled, DateTime? LastSuccessAt, DateTime? LastReadAt, DateTime? LastErrorAt, string? LastError,
    long EventsRead, long DepnotesStored, long Calls, DateTime? CoveredFrom, DateTime? CoveredUntil, bool CaughtUp,
    DateTime? LogKeptFrom, bool IsStale, string Summary)
{
    /// <summary>
    /// True when the depnote figures are current and reach back to <paramref name="since"/>: the only case in which
    /// "no depnote for a feature since then" means the feature was not used.
    /// </summary>
    public bool Covers(DateTime since) => !IsStale && CoveredFrom is { } from && from <= since;

    public static async Task<TenantLogReaderStatus> ReadAsync(AppDbContext db, DepnotePolling polling, DateTime now, CancellationToken cancellationToken)
    {
        var state = await db.TenantLogReader.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Name == TenantLogReaderState.DefaultName, cancellationToken);
        var enabled = polling.Interval > TimeSpan.Zero;
        var stale = StaleReason(enabled, state, polling, now);
        return new TenantLogReaderStatus(
            enabled, state?.LastSuccessAt, state?.LastReadAt, state?.LastErrorAt, state?.LastError,
            state?.EventsRead ?? 0, state?.DepnotesStored ?? 0, state?.Calls ?? 0, state?.CoveredFrom, state?.CoveredUntil,
            state?.CaughtUp ?? false, state?.LogKeptFrom, stale is not null, stale ?? "up to date");
    }

    /// <summary>Why the figures cannot be trusted now, or null.</summary>
    private static string? StaleReason(bool enabled, TenantLogReaderState? state, DepnotePolling polling, DateTime now)
    {
        if (!enabled) return "the tenant's log is not read (Migration:DepnotePollSeconds is 0)";
        if (state?.LastSuccessAt is null || state.CoveredUntil is null) return "the tenant's log has not been read yet";
        if (now - state.CoveredUntil.Value > polling.StaleAfter)
            return state.CaughtUp || state.LastError is not null
                ? $"no successful read since {state.LastSuccessAt:yyyy-MM-dd HH:mm} UTC"
                : $"still catching up: read up to {state.CoveredUntil:yyyy-MM-dd HH:mm} UTC";
        return null;
    }
}
