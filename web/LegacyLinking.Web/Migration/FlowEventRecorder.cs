using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Linking;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Records every link/unlink/suggestion without making the request wait on the database: events go into a bounded
/// queue that <see cref="FlowEventWriter"/> drains in batches. A full queue drops the event (counted and logged),
/// never blocks. With <c>Migration:Recording=false</c> it records nothing (the writer then idles).
/// </summary>
public sealed class FlowEventRecorder
{
    public const int DefaultCapacity = 10_000;
    private readonly Channel<FlowEvent> _queue;
    private readonly ILogger<FlowEventRecorder> _logger;
    private readonly TimeProvider _clock;
    private long _dropped;

    public FlowEventRecorder(ILogger<FlowEventRecorder> logger, TimeProvider clock, int capacity = DefaultCapacity, bool enabled = true)
    {
        _logger = logger;
        _clock = clock;
        Enabled = enabled;
        _queue = Channel.CreateBounded<FlowEvent>(new BoundedChannelOptions(capacity)
        {
            // With Wait, TryWrite answers false when full (DropWrite would report success and drop silently).
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>False when recording is switched off (<c>Migration:Recording=false</c>).</summary>
    public bool Enabled { get; }
    public long Dropped => Interlocked.Read(ref _dropped);
    public int Pending => _queue.Reader.Count;
    internal ChannelReader<FlowEvent> Reader => _queue.Reader;
    internal void Complete() => _queue.Writer.TryComplete();

    public void Record(LinkingOutcome outcome, string userId)
    {
        if (!Enabled) return;
        Record(new FlowEvent
        {
            At = _clock.GetUtcNow().UtcDateTime,
            Operation = outcome.Operation,
            Flow = outcome.Flow,
            Reason = outcome.Reason,
            Outcome = outcome.Outcome,
            Status = outcome.Status,
            ErrorCode = outcome.ErrorCode,
            DurationMs = Math.Round(outcome.Duration.TotalMilliseconds, 3),
            UserId = userId,
            Shadow = outcome.Shadow,
            TraceId = Activity.Current?.TraceId.ToString(),
        });
    }

    public void Record(FlowEvent flowEvent)
    {
        if (!Enabled) return;
        FlowMetrics.Observe(flowEvent);
        if (_queue.Writer.TryWrite(flowEvent)) return;
        var dropped = Interlocked.Increment(ref _dropped);
        // One warning per thousand drops: a full queue is visible without flooding the log.
        if (dropped == 1 || dropped % 1000 == 0)
            _logger.LogWarning("Migration record queue is full; {Dropped} event(s) dropped so far.", dropped);
    }
}

/// <summary>Drains the recorder's queue into the database in batches; on shutdown it flushes everything queued.</summary>
public sealed class FlowEventWriter(FlowEventRecorder recorder, IDbContextFactory<AppDbContext> databases, ILogger<FlowEventWriter> logger, TimeSpan linger)
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

    public TimeSpan Linger { get; } = linger;

    private readonly UserDaysWritten _userDays = new();
    private readonly UserKeyCache _userKeys = new();

    private long _written;

    /// <summary>Events committed so far (read from other threads: the tests and the benchmarks wait on it).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _busyTicks;

    /// <summary>Time spent writing batches so far (what recording costs beyond the request path; the overhead benchmark reads it).</summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = recorder.Reader;
        var batch = new List<FlowEvent>(BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await FillOrLingerAsync(reader, stoppingToken);
                while (batch.Count < BatchSize && reader.TryRead(out var item)) batch.Add(item);
                await WriteAsync(batch, stoppingToken);
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
        if (ExecuteTask is not { IsCompleted: false }) await DrainAsync(new List<FlowEvent>(BatchSize));
    }

    private static readonly CancellationToken Stopping = new(canceled: true);

    /// <summary>Shutdown: writes whatever is still queued, each batch tried once.</summary>
    private async Task DrainAsync(List<FlowEvent> batch)
    {
        recorder.Complete();
        var reader = recorder.Reader;
        while (reader.TryRead(out var item))
        {
            batch.Add(item);
            if (batch.Count == BatchSize) await WriteAsync(batch, Stopping);
        }
        await WriteAsync(batch, Stopping);
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

    /// <summary>
    /// Waits before each retry of a batch the database could not take for a passing reason (locked, busy, stopped,
    /// unreachable): the batch is held (the queue fills behind it, and drops only once full) until the database answers
    /// again, however long that takes, except at shutdown.
    /// </summary>
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5)];

    private long _lost;

    /// <summary>Events the database refused (the page shows them).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <param name="stoppingToken">Once cancelled (shutdown), a batch is tried once more and then given up.</param>
    private async Task WriteAsync(List<FlowEvent> batch, CancellationToken stoppingToken)
    {
        if (batch.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await WriteOnceAsync(batch, CancellationToken.None);
                    if (attempt > 0) logger.LogInformation("The database took the {Count} held migration record(s) after {Attempts} attempt(s).", batch.Count, attempt + 1);
                    return;
                }
                catch (Exception e) when (DatabaseFailures.IsUnavailable(e) && !stoppingToken.IsCancellationRequested)
                {
                    var delay = RetryDelays[Math.Min(attempt, RetryDelays.Length - 1)];
                    if (attempt == 0 || attempt % 12 == 0)
                        logger.LogWarning("The database cannot take {Count} migration record(s) yet ({Error}); holding them and trying again every few seconds.", batch.Count, e.Message);
                    await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            Interlocked.Add(ref _lost, batch.Count);
            logger.LogError(e, "Could not write {Count} migration record(s); they are lost.", batch.Count);
        }
        finally
        {
            batch.Clear();
            var elapsed = Stopwatch.GetTimestamp() - started;
            Interlocked.Add(ref _busyTicks, elapsed);
            FlowMetrics.ObserveBatch(Stopwatch.GetElapsedTime(0, elapsed));
        }
    }

    /// <summary>One transaction: nothing of the batch is stored unless all of it is (the writer's memories only after commit).</summary>
    private async Task WriteOnceAsync(List<FlowEvent> batch, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        IReadOnlyDictionary<string, int> userKeys;
        IReadOnlyList<UserDay> userDays;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            userKeys = await UserKeys.AssignAsync(db, batch, _userKeys, cancellationToken);
            await InsertAsync(db, batch, cancellationToken);
            userDays = await RollupWriter.ApplyAsync(db, batch, _userDays, cancellationToken);
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
        Interlocked.Add(ref _written, batch.Count);
    }

    /// <summary>The events themselves, as multi-row inserts (EF Core's tracked inserts cost several times more per row).</summary>
    private static Task InsertAsync(AppDbContext db, List<FlowEvent> batch, CancellationToken cancellationToken) =>
        MultiRowInsert.ExecuteAsync(db, FlowEventColumns.Insert, FlowEventColumns.InsertTypes,
            batch.ConvertAll(FlowEventColumns.InsertValues), "", cancellationToken);
}

/// <summary>OpenTelemetry-ready metrics per operation, flow and outcome (meter <c>LegacyLinking.Migration</c>).</summary>
public static class FlowMetrics
{
    public const string MeterName = "LegacyLinking.Migration";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("legacylinking.flow.requests", description: "Link, unlink and suggestion requests");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("legacylinking.flow.duration", "ms", "Time spent in the flow");

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("legacylinking.recorder.batch.duration", "ms", "Time the background writer took to store one batch of records");

    public static void ObserveBatch(TimeSpan duration) => BatchDuration.Record(duration.TotalMilliseconds);

    public static void Observe(FlowEvent e)
    {
        var tags = new TagList { { "operation", e.Operation }, { "flow", e.Flow }, { "outcome", e.Outcome } };
        Requests.Add(1, tags);
        Duration.Record(e.DurationMs, tags);
    }
}
