using System.Globalization;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The reader's settings (<c>Migration:Depnote*</c>), checked at start.</summary>
public sealed record DepnotePolling(TimeSpan Interval, int LookbackDays = DepnotePolling.DefaultLookbackDays)
{
    public const int DefaultSeconds = 60;
    public const int DefaultLookbackDays = ReadinessReport.Days;

    /// <summary>Without a successful read for this long, the figures are stale (three missed polls, at least 15 minutes).</summary>
    public TimeSpan StaleAfter => Interval * 3 > TimeSpan.FromMinutes(15) ? Interval * 3 : TimeSpan.FromMinutes(15);
}

/// <summary>What one round of reading did.</summary>
/// <param name="Error">Why the round stopped short (the tenant or the database did not answer), null when it did not.</param>
public sealed record LogReadRound(int Calls, int EventsRead, int DepnotesStored, bool CaughtUp, string? Error = null);

/// <summary>
/// Reads the tenant's log in the background as Auth0 means it to be read, and keeps its <c>depnote</c> events (uses of
/// deprecated features, also by applications that never go through this app). The first run anchors a checkpoint at
/// the tenant's newest event and looks back <c>Migration:DepnoteLookbackDays</c> for depnotes by search (bounded by
/// Auth0's 1000 search results and by how far back the tenant still keeps its log; 0 starts from now). From then on it reads every event by checkpoint, following the
/// <c>Link</c> header's next page, filters the types itself, and spends only what <see cref="TenantLogBudget"/> allows.
/// Its state (<see cref="TenantLogReaderState"/>) is saved with each page, so a restart resumes where it stopped.
/// </summary>
public sealed class DeprecationNoticeIngestor(
    IServiceScopeFactory scopes,
    IDbContextFactory<AppDbContext> databases,
    DepnotePolling polling,
    TenantLogBudget budget,
    TimeProvider clock,
    Health.IngestionStatus status,
    ILogger<DeprecationNoticeIngestor> logger) : BackgroundService
{
    private const int SearchPageSize = 100;
    private const int MaxSearchResults = 1000;
    private const int MaxDescriptionLength = 512;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (polling.Interval <= TimeSpan.Zero) return; // switched off
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = polling.Interval;
            try
            {
                var round = await ReadOnceAsync(stoppingToken);
                if (round.Error is null) status.Succeeded();
                else status.Failed(round.Error);
                // Behind: come back as soon as the budget (or the tenant's bucket) allows another call.
                if (!round.CaughtUp) wait = Clamp(budget.UntilNext(), TimeSpan.FromSeconds(1), polling.Interval);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Never let a database hiccup stop the app: try again at the next interval.
                logger.LogWarning("Could not save the tenant log reader's state: {Error}", e.Message);
                status.Failed(DatabaseFailures.IsUnavailable(e) ? "the database did not answer" : e.GetType().Name);
            }
            await Task.Delay(wait, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One round: anchor (first run), the look-back, then checkpoint pages until caught up or out of budget. A failure
    /// is recorded in the state (and logged), never thrown: the next round tries again.
    /// </summary>
    public async Task<LogReadRound> ReadOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var logs = scope.ServiceProvider.GetRequiredService<LogsClient>();
        var round = new RoundCounter();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var state = await db.TenantLogReader.SingleOrDefaultAsync(s => s.Name == TenantLogReaderState.DefaultName, cancellationToken);
        if (state is null) db.TenantLogReader.Add(state = new TenantLogReaderState());
        state.LastReadAt = Now;
        try
        {
            var caughtUp = await AnchorAsync(db, state, logs, round, cancellationToken) switch
            {
                Anchor.NothingToRead => true,
                Anchor.Waiting => false,
                _ => await LookBackAsync(db, state, logs, round, cancellationToken)
                     && await FollowCheckpointAsync(db, state, logs, round, cancellationToken),
            };
            state.CaughtUp = caughtUp;
            state.LastSuccessAt = Now;
            state.LastError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (e is RateLimitApiException limited) budget.Observe(limited.RateLimit);
            state.CaughtUp = false;
            state.LastErrorAt = Now;
            state.LastError = Describe(e);
            logger.LogWarning("Could not read the tenant's log: {Error}", state.LastError);
        }
        try
        {
            await SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // Another instance saved the state at the same moment: its round counts, this one tries again later.
            logger.LogWarning("Could not save the tenant log reader's state: {Error}", e.InnerException?.Message ?? e.Message);
            return new LogReadRound(round.Calls, round.Events, round.Depnotes, CaughtUp: false, state.LastError ?? "another instance saved the state");
        }
        return new LogReadRound(round.Calls, round.Events, round.Depnotes, state.CaughtUp, state.LastError);
    }

    private enum Anchor { Ready, NothingToRead, Waiting }

    /// <summary>First run: the newest event becomes the checkpoint (none yet on an empty log; the next round tries again).</summary>
    private async Task<Anchor> AnchorAsync(AppDbContext db, TenantLogReaderState state, LogsClient logs, RoundCounter round, CancellationToken ct)
    {
        if (state.NextLink is not null) return Anchor.Ready;
        if (!budget.TryTake()) return Anchor.Waiting;
        var newest = await CallAsync(state, round, () => logs.SearchAsync(new LogSearch(Sort: "date:-1", PerPage: 1, Fields: "log_id,date"), ct));
        var now = Now;
        state.StartedAt ??= now;
        if (newest.Entries.Count == 0)
        {
            state.CoveredFrom ??= now;
            state.CoveredUntil = now;
            return Anchor.NothingToRead;
        }
        var anchor = newest.Entries[0];
        state.Checkpoint = anchor.LogId;
        state.NextLink = logs.FirstCheckpointPage(anchor.LogId).AbsoluteUri;
        state.CoveredUntil = anchor.Date.UtcDateTime;
        // On the hour, as the readiness window is: a look-back as long as the window then covers it from the start.
        state.CoveredFrom = polling.LookbackDays > 0 ? RollupWriter.Hour(now.AddDays(-polling.LookbackDays)) : anchor.Date.UtcDateTime;
        state.LookbackPage = polling.LookbackDays > 0 ? 0 : null;
        await SaveAsync(db, ct);
        return Anchor.Ready;
    }

    /// <summary>
    /// The first run's look-back: how far back the tenant still keeps its log, then depnotes since
    /// <see cref="TenantLogReaderState.CoveredFrom"/>, newest first, by search.
    /// </summary>
    private async Task<bool> LookBackAsync(AppDbContext db, TenantLogReaderState state, LogsClient logs, RoundCounter round, CancellationToken ct)
    {
        if (state.LookbackPage is not null && state.LogKeptFrom is null)
        {
            if (!budget.TryTake()) return false;
            var oldest = await CallAsync(state, round, () => logs.SearchAsync(new LogSearch(Sort: "date:1", PerPage: 1, Fields: "log_id,date"), ct));
            state.LogKeptFrom = oldest.Entries.Count > 0 ? oldest.Entries[0].Date.UtcDateTime : Now;
            // A plan that keeps the log for fewer days than the look-back asks: the figures start where the log does.
            if (state.LogKeptFrom > state.CoveredFrom) state.CoveredFrom = state.LogKeptFrom;
            await SaveAsync(db, ct);
        }
        while (state.LookbackPage is { } page)
        {
            if (!budget.TryTake()) return false;
            var since = state.CoveredFrom!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            var found = await CallAsync(state, round, () => logs.SearchAsync(
                new LogSearch($"type:depnote AND date:[{since} TO *]", "date:-1", page, SearchPageSize), ct));
            await StoreAsync(db, state, found.Entries, round, ct);
            var last = found.Entries.Count < SearchPageSize;
            var capped = !last && (page + 2) * SearchPageSize > MaxSearchResults;
            // Auth0 pages through the first 1000 results only: beyond them, the figures start at the oldest one read.
            if (capped) state.CoveredFrom = found.Entries[^1].Date.UtcDateTime;
            state.LookbackPage = last || capped ? null : page + 1;
            await SaveAsync(db, ct);
        }
        return true;
    }

    /// <summary>Checkpoint pages, each the previous page's <c>Link</c> next; true once a page comes back short (caught up).</summary>
    private async Task<bool> FollowCheckpointAsync(AppDbContext db, TenantLogReaderState state, LogsClient logs, RoundCounter round, CancellationToken ct)
    {
        while (true)
        {
            if (!budget.TryTake()) return false;
            var readAt = Now;
            var page = await CallAsync(state, round, () => logs.GetPageAsync(new Uri(state.NextLink!), ct));
            await StoreAsync(db, state, page.Entries, round, ct);
            state.EventsRead += page.Entries.Count;
            round.Events += page.Entries.Count;
            if (page.Entries.Count > 0)
            {
                state.Checkpoint = page.Entries[^1].LogId;
                state.CoveredUntil = page.Entries[^1].Date.UtcDateTime;
            }
            // Auth0 always sends the next link; without one, carry on from the last event read.
            state.NextLink = (page.Next ?? logs.FirstCheckpointPage(state.Checkpoint!)).AbsoluteUri;
            var caughtUp = page.Entries.Count < LogsClient.MaxTake;
            if (caughtUp) state.CoveredUntil = readAt;
            await SaveAsync(db, ct);
            if (caughtUp) return true;
        }
    }

    private async Task<LogsPage> CallAsync(TenantLogReaderState state, RoundCounter round, Func<Task<LogsPage>> call)
    {
        state.Calls++;
        round.Calls++;
        var page = await call();
        budget.Observe(page.RateLimit);
        return page;
    }

    /// <summary>Keeps the depnotes among <paramref name="entries"/> (each log_id once), classified by their description.</summary>
    private static async Task StoreAsync(AppDbContext db, TenantLogReaderState state, IReadOnlyList<LogEntry> entries, RoundCounter round, CancellationToken ct)
    {
        var depnotes = entries.Where(e => e.Type == "depnote" && e.LogId.Length is > 0 and <= 64).ToList();
        if (depnotes.Count == 0) return;
        var ids = depnotes.Select(d => d.LogId).ToList();
        var known = await db.TenantLogEvents.Where(e => ids.Contains(e.LogId)).Select(e => e.LogId).ToListAsync(ct);
        foreach (var note in depnotes.Where(d => !known.Contains(d.LogId)).DistinctBy(d => d.LogId))
        {
            db.TenantLogEvents.Add(new TenantLogEvent
            {
                LogId = note.LogId,
                Date = note.Date.UtcDateTime,
                Type = note.Type,
                Feature = DeprecationFeatures.Classify(note.Description),
                Description = Truncate(note.Description, MaxDescriptionLength),
                ClientId = Truncate(note.ClientId, 128),
                ClientName = Truncate(note.ClientName, 256),
                UserId = Truncate(note.UserId, 256),
            });
            state.DepnotesStored++;
            round.Depnotes++;
        }
    }

    private static async Task SaveAsync(AppDbContext db, CancellationToken ct) => await db.SaveChangesAsync(ct);

    /// <summary>Plain words for the page and the log: the status and Auth0's message, never a token or a URL's query.</summary>
    private static string Describe(Exception e) => Truncate(e switch
    {
        RateLimitApiException => "the tenant's rate limit was reached (429); reading resumes after its reset",
        ErrorApiException api => $"the tenant answered {(int)api.StatusCode}: {api.Message}",
        TenantUnavailableException => "the tenant did not answer in time",
        _ => e.Message,
    }, MaxDescriptionLength)!;

    private static string? Truncate(string? text, int length) => text is { } t && t.Length > length ? t[..length] : text;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private sealed class RoundCounter
    {
        public int Calls { get; set; }
        public int Events { get; set; }
        public int Depnotes { get; set; }
    }
}
