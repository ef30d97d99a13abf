using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Bench;

/// <summary>
/// (b) The writer's sustained rate into SQLite: the app's recorder and background writer (events inserted in batches,
/// hourly rollups upserted in the same transaction) on a real SQLite file, fed live-looking traffic (time order, the
/// current hour, 5,000 users) as fast as the bounded queue accepts it — the producer waits when the queue is nearly
/// full, so nothing is dropped. One operation = one event recorded and committed; events/s = 1 / time per op.
/// Loss is checked (rows and rollup totals against what was recorded, drops = 0) and the peak working set reported.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8)]
[MemoryDiagnoser]
public class WriterBenchmarks
{
    private const int Events = 100_000;

    private readonly EventMix _mix = new();
    private AppDataHost _host = null!;
    private FlowEventRecorder _recorder = null!;
    private FlowEventWriter _writer = null!;
    private FlowEvent[] _events = [];
    private DateTime _clock = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);
    private long _recorded;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await AppDataHost.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        _recorder = _host.Services.GetRequiredService<FlowEventRecorder>();
        _writer = _host.Services.GetRequiredService<FlowEventWriter>();
    }

    /// <summary>Fresh events (the writer gives each its id), a few seconds of traffic later than the last ones.</summary>
    [IterationSetup]
    public void NextEvents()
    {
        _events = _mix.Spread(_clock, TimeSpan.FromSeconds(5), Events).ToArray();
        _clock = _clock.AddSeconds(5);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task RecordAndWrite()
    {
        var target = _writer.Written + Events;
        var capacity = FlowEventRecorder.DefaultCapacity;
        foreach (var e in _events)
        {
            while (_recorder.Pending >= capacity - 1) await Task.Delay(1);
            _recorder.Record(e);
        }
        _recorded += Events;
        while (_writer.Written < target) await Task.Delay(1);
        if (_recorder.Dropped != 0) throw new InvalidOperationException($"{_recorder.Dropped} events dropped.");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.StopAsync();
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var rows = await db.FlowEvents.LongCountAsync();
        var rolledUp = await db.FlowRollups.SumAsync(r => r.Count);
        var histogram = await db.LatencyRollups.SumAsync(r => r.Count);
        Console.WriteLine($"// writer: {_recorded:N0} recorded, {rows:N0} rows, rollups {rolledUp:N0} / latency {histogram:N0}, {_recorder.Dropped:N0} dropped; " +
                          $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MB");
        await _host.DisposeAsync();
        if (rows != _recorded || rolledUp != _recorded || histogram != _recorded || _recorder.Dropped != 0)
            throw new InvalidOperationException("Events were lost.");
    }
}
