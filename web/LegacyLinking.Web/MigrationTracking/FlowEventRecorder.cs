using System.Diagnostics;
using System.Threading.Channels;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Records every link/unlink/suggestion without making the request wait on the database: events go into a bounded
/// queue that <see cref="FlowEventWriter"/> drains in batches. A full queue drops the event (counted, logged, and stored
/// as a gap of the record), never blocks. With <c>Migration:Recording=false</c> it records nothing (the writer then idles).
/// </summary>
public sealed class FlowEventRecorder
{
    public const int DefaultCapacity = 10_000;
    private readonly Channel<FlowEvent> _queue;
    private readonly ILogger<FlowEventRecorder> _logger;
    private readonly TimeProvider _clock;
    private long _dropped;
    private readonly Lock _drops = new();
    private (long Count, DateTime From, DateTime To) _untaken;

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

    /// <summary>When the oldest event still queued happened; null when none is.</summary>
    internal DateTime? OldestPending => _queue.Reader.TryPeek(out var next) ? next.At : null;

    /// <summary>The events dropped since the last call, and when the first and the last of them happened.</summary>
    internal (long Count, DateTime From, DateTime To) TakeDrops()
    {
        lock (_drops)
        {
            var taken = _untaken;
            _untaken = default;
            return taken;
        }
    }

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
        lock (_drops) _untaken = (_untaken.Count + 1, _untaken.Count == 0 ? flowEvent.At : _untaken.From, flowEvent.At);
        var dropped = Interlocked.Increment(ref _dropped);
        // One warning per thousand drops: a full queue is visible without flooding the log.
        if (dropped == 1 || dropped % 1000 == 0)
            _logger.LogWarning("Migration record queue is full; {Dropped} event(s) dropped so far.", dropped);
    }
}
