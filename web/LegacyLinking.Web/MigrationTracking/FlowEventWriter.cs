using System.Diagnostics;
using System.Threading.Channels;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Linking;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Drains the recorder's queue into the database in batches. What the database cannot take for a passing reason
/// (stopped, unreachable, locked, its file gone) goes to this instance's <see cref="RecordJournal"/> and is written from
/// there once it answers again, at the latest at the next start; what it refuses outright is counted and stored as a
/// gap. At shutdown everything queued is stored or journaled; a stop without it is found at the next start.
/// </summary>
public sealed class FlowEventWriter(
    FlowEventRecorder recorder,
    IDbContextFactory<AppDbContext> databases,
    RecordJournal journal,
    DatabaseFile file,
    TimeProvider clock,
    ILogger<FlowEventWriter> logger,
    TimeSpan linger)
    : BackgroundService
{
    /// <summary>
    /// At most this many events per transaction (whatever is queued, up to this). Under a backlog larger batches
    /// amortise the commit and the pages of the user index that each commit rewrites (its inserts land all over it).
    /// </summary>
    public const int BatchSize = 8_000;

    /// <summary>
    /// How long a batch may fill before it is written (it is written as soon as <see cref="BatchSize"/> are queued): at
    /// moderate traffic one transaction per second instead of one per handful of events, each with its fixed cost
    /// (the recording-overhead benchmark's figure depends on it). The migration page is that much behind.
    /// </summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(1);

    /// <summary>After the database did not answer, batches go straight to the journal for this long before it is asked again.</summary>
    public static readonly TimeSpan OutageProbe = TimeSpan.FromSeconds(5);

    /// <summary>How long one write may take before the database counts as not answering (SQLite waits 5 s for a lock).</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(15);

    /// <summary>At shutdown: the host gives every service 30 s in all.</summary>
    private static readonly TimeSpan ShutdownWriteTimeout = TimeSpan.FromSeconds(6);

    public TimeSpan Linger { get; } = linger;

    private readonly UserDaysWritten _userDays = new();
    private readonly UserKeyCache _userKeys = new();
    private readonly List<RecordGap> _gaps = [];
    private readonly CancellationTokenSource _stopBeating = new();
    private Task _heartbeat = Task.CompletedTask;
    private long _heldSinceTicks;
    private long _outageSinceTicks;
    private DateTimeOffset _askAgainAt;
    private bool _vanishNoted;

    private long _written;

    /// <summary>Events committed so far, replayed ones included (read from other threads: the tests and the benchmarks wait on it).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _busyTicks;

    /// <summary>Time spent writing batches so far (what recording costs beyond the request path; the overhead benchmark reads it).</summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    private long _lost;

    /// <summary>Events the database refused outright (each batch is also stored as a gap).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Since when the database has not answered the writer; null while it does.</summary>
    public DateTimeOffset? UnavailableSince => Interlocked.Read(ref _outageSinceTicks) is var ticks && ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>When the loop last came round (at least every second while it runs): the health check's "not stalled".</summary>
    public DateTimeOffset LastRound
    {
        get => new(Interlocked.Read(ref _lastRoundTicks), TimeSpan.Zero);
        private set => Interlocked.Exchange(ref _lastRoundTicks, value.UtcTicks);
    }

    private long _lastRoundTicks;

    /// <summary>Every event recorded before this is stored or journaled (what the journal's running marker says).</summary>
    public DateTime SafeUntil
    {
        get
        {
            // A request stamps its event a moment before it queues it.
            var safe = clock.GetUtcNow().UtcDateTime - TimeSpan.FromMilliseconds(100);
            if (Interlocked.Read(ref _heldSinceTicks) is var held && held > 0 && held < safe.Ticks) safe = new DateTime(held, DateTimeKind.Utc);
            if (recorder.OldestPending is { } oldest && oldest < safe) safe = oldest;
            return safe;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        journal.Open();
        _heartbeat = BeatAsync(_stopBeating.Token);
        LastRound = clock.GetUtcNow();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = recorder.Reader;
        var batch = new List<FlowEvent>(BatchSize);
        try
        {
            await ReplayAsync(stoppingToken);
            while (true)
            {
                LastRound = clock.GetUtcNow();
                switch (await WaitForEventsAsync(reader, stoppingToken))
                {
                    case false: // completed: nothing more will come
                        await DrainAsync(batch);
                        return;
                    case true:
                        await FillOrLingerAsync(reader, stoppingToken);
                        while (batch.Count < BatchSize && reader.TryRead(out var item)) batch.Add(item);
                        await StoreAsync(batch, shuttingDown: false);
                        break;
                }
                await KeepUpAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await DrainAsync(batch);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The host starts ExecuteAsync on the thread pool with the stopping token: a host stopped straight after it
        // started may never have run it, and its queue would be lost. Drain here unless the loop is still draining
        // (the shutdown timeout passed first): the queue has one reader.
        var draining = ExecuteTask is { IsCompleted: false };
        if (!draining) await DrainAsync(new List<FlowEvent>(BatchSize));
        await _stopBeating.CancelAsync();
        await _heartbeat;
        // Still draining when the host's time ran out: the marker stays and the next start reports what may be lost.
        journal.Close(flushed: !draining && recorder.Pending == 0);
    }

    /// <summary>Shutdown: everything queued, and any gap still waiting, stored or journaled.</summary>
    private async Task DrainAsync(List<FlowEvent> batch)
    {
        recorder.Complete();
        var reader = recorder.Reader;
        while (reader.TryRead(out var item))
        {
            batch.Add(item);
            if (batch.Count == BatchSize) await StoreAsync(batch, shuttingDown: true);
        }
        NoteDropsAndVanishing();
        await StoreAsync(batch, shuttingDown: true);
    }

    /// <summary>True when events wait, false when the queue is completed, null when a heartbeat passed without any.</summary>
    private static async Task<bool?> WaitForEventsAsync(ChannelReader<FlowEvent> reader, CancellationToken stoppingToken)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        round.CancelAfter(RecordJournal.Heartbeat);
        try
        {
            return await reader.WaitToReadAsync(round.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Waits until a full batch is queued or the linger is over, whichever comes first.</summary>
    private async Task FillOrLingerAsync(ChannelReader<FlowEvent> reader, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        // A short poll: a signal from the request path would cost every request; this costs the writer ~100 wake-ups a second while events wait.
        while (reader.Count < BatchSize && Stopwatch.GetElapsedTime(started) is var waited && waited < Linger)
            await Task.Delay(Min(Linger - waited, FillPoll), stoppingToken);
    }

    private static readonly TimeSpan FillPoll = TimeSpan.FromMilliseconds(10);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Between batches: drops and a vanished file become gaps, gaps are stored, and the journal is replayed once the database answers.</summary>
    private async Task KeepUpAsync(CancellationToken stoppingToken)
    {
        NoteDropsAndVanishing();
        if (_gaps.Count > 0) await StoreAsync([], shuttingDown: false);
        if (journal.HasPending && !InOutage) await ReplayAsync(stoppingToken);
    }

    private void NoteDropsAndVanishing()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (recorder.TakeDrops() is { Count: > 0 } dropped)
            _gaps.Add(Gap(RecordGapKinds.QueueFull, dropped.From, dropped.To, dropped.Count));
        if (file.CheckVanished(clock))
        {
            if (_vanishNoted) return;
            _vanishNoted = true;
            var at = file.VanishedAt!.Value.UtcDateTime;
            logger.LogError("The database file {Path} is gone: records go to the journal until the app runs on a database again.", file.Path);
            _gaps.Add(Gap(RecordGapKinds.FileVanished, at, at, null));
        }
        else
        {
            _vanishNoted = false;
        }
        RecordGap Gap(string kind, DateTime from, DateTime to, long? events) =>
            new() { Kind = kind, From = from, To = to, Events = events, Instance = journal.Instance, DetectedAt = now };
    }

    private bool InOutage => UnavailableSince is not null && clock.GetUtcNow() < _askAgainAt;

    /// <summary>Stores the batch with the waiting gaps in one transaction, or journals them when the database does not answer.</summary>
    private async Task StoreAsync(List<FlowEvent> batch, bool shuttingDown)
    {
        if (batch.Count == 0 && _gaps.Count == 0) return;
        var gaps = _gaps.ToList();
        _gaps.Clear();
        if (batch.Count > 0) Interlocked.Exchange(ref _heldSinceTicks, batch.Min(e => e.At).Ticks);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (InOutage)
            {
                Spill(batch, gaps);
                return;
            }
            using var timeout = new CancellationTokenSource(shuttingDown ? ShutdownWriteTimeout : WriteTimeout);
            await WriteOnceAsync(batch, gaps, replayOf: null, timeout.Token);
            if (file.CheckVanished(clock))
            {
                // Committed into the deleted file's last open connection: as good as lost, so journaled instead.
                BeginOutage("the database file is gone");
                Spill(batch, gaps);
                return;
            }
            Interlocked.Add(ref _written, batch.Count);
            EndOutage();
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e) || e is OperationCanceledException)
        {
            BeginOutage(e.Message);
            Spill(batch, gaps);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            if (batch.Count == 0)
            {
                // The gaps alone were refused: the journal keeps them (its replay sets a file it cannot write aside).
                logger.LogError(e, "Could not store {Count} record gap(s); keeping them in the journal.", gaps.Count);
                Spill([], gaps);
                return;
            }
            Interlocked.Add(ref _lost, batch.Count);
            logger.LogError(e, "The database refused {Count} migration record(s); they are lost (stored as a gap).", batch.Count);
            _gaps.AddRange(gaps);
            _gaps.Add(new RecordGap
            {
                Kind = RecordGapKinds.Refused, From = batch.Min(x => x.At), To = batch.Max(x => x.At), Events = batch.Count,
                Instance = journal.Instance, DetectedAt = clock.GetUtcNow().UtcDateTime,
            });
        }
        finally
        {
            batch.Clear();
            Interlocked.Exchange(ref _heldSinceTicks, 0);
            var elapsed = Stopwatch.GetTimestamp() - started;
            Interlocked.Add(ref _busyTicks, elapsed);
            FlowMetrics.ObserveBatch(Stopwatch.GetElapsedTime(0, elapsed));
        }
    }

    private void Spill(List<FlowEvent> batch, List<RecordGap> gaps)
    {
        try
        {
            journal.Spill(batch, gaps);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Add(ref _lost, batch.Count);
            logger.LogCritical(e, "Neither the database nor the journal could take {Count} migration record(s); they are lost.", batch.Count);
        }
    }

    private void BeginOutage(string why)
    {
        if (Interlocked.CompareExchange(ref _outageSinceTicks, clock.GetUtcNow().UtcTicks, 0) == 0)
            logger.LogWarning("The database does not answer the migration record's writer ({Error}); records go to the journal at {Folder} until it does.", why, journal.Folder);
        _askAgainAt = clock.GetUtcNow() + OutageProbe;
    }

    private void EndOutage()
    {
        if (Interlocked.Exchange(ref _outageSinceTicks, 0) != 0)
            logger.LogInformation("The database answers the migration record's writer again; writing what the journal holds.");
    }

    /// <summary>Writes the journal's files, oldest first, each in one transaction with a note that it was (so never twice).</summary>
    private async Task ReplayAsync(CancellationToken stoppingToken)
    {
        foreach (var path in journal.Pending())
        {
            if (stoppingToken.IsCancellationRequested) return;
            var (events, gaps) = RecordJournal.Read(path);
            try
            {
                using var timeout = new CancellationTokenSource(WriteTimeout);
                await WriteOnceAsync(events, gaps, replayOf: Path.GetFileName(path), timeout.Token);
                if (file.CheckVanished(clock))
                {
                    BeginOutage("the database file is gone");
                    return;
                }
                journal.Written(path, events.Count);
                Interlocked.Add(ref _written, events.Count);
                EndOutage();
            }
            catch (Exception e) when (DatabaseFailures.IsUnavailable(e) || e is OperationCanceledException)
            {
                BeginOutage(e.Message);
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                Interlocked.Add(ref _lost, events.Count);
                logger.LogError(e, "The database refused the journal file {File} ({Count} record(s)); it is set aside as {File}.refused.", path, events.Count, path);
                journal.SetAside(path, events.Count);
            }
        }
    }

    /// <summary>Rewrites the journal's running marker every heartbeat, until the writer stops.</summary>
    private async Task BeatAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(RecordJournal.Heartbeat, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop)) Beat();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Beat()
    {
        try
        {
            journal.Beat(SafeUntil);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not mark the app running in {Folder}: {Error}", journal.Folder, e.Message);
        }
    }

    /// <summary>
    /// One transaction: nothing of the batch is stored unless all of it is (the writer's memories only after commit).
    /// A replayed journal file is noted in the same transaction, and skipped when it already was.
    /// </summary>
    private async Task WriteOnceAsync(List<FlowEvent> batch, List<RecordGap> gaps, string? replayOf, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        IReadOnlyDictionary<string, int> userKeys;
        IReadOnlyList<UserDay> userDays;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (replayOf is not null && await db.RecordJournalReplays.FindAsync([replayOf], cancellationToken) is not null) return;
            userKeys = await UserKeys.AssignAsync(db, batch, _userKeys, cancellationToken);
            await InsertAsync(db, batch, cancellationToken);
            userDays = await RollupWriter.ApplyAsync(db, batch, _userDays, cancellationToken);
            db.RecordGaps.AddRange(gaps);
            if (replayOf is not null)
                db.RecordJournalReplays.Add(new RecordJournalReplay { File = replayOf, Events = batch.Count, ReplayedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException) when (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection connection)
        {
            // A refused statement can leave SQLite's transaction open on the pooled connection: drop it, do not reuse it.
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
            throw;
        }
        _userKeys.Remember(userKeys);
        _userDays.Remember(userDays);
    }

    /// <summary>The events themselves, as multi-row inserts (EF Core's tracked inserts cost several times more per row).</summary>
    private static Task InsertAsync(AppDbContext db, List<FlowEvent> batch, CancellationToken cancellationToken) =>
        MultiRowInsert.ExecuteAsync(db, FlowEventColumns.Insert, FlowEventColumns.InsertTypes,
            batch.ConvertAll(FlowEventColumns.InsertValues), "", cancellationToken);
}
