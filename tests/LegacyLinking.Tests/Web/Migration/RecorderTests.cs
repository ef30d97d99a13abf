using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegacyLinking.Tests.Web.Migration;

public sealed class RecorderTests
{
    private static FlowEvent Event(int i, DateTime? at = null) => new()
    {
        At = at ?? new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc).AddSeconds(i),
        Operation = "link", Flow = i % 2 == 0 ? "LegacyIdToken" : "AccessToken", Reason = "Percentile", Outcome = "ok",
        DurationMs = 12.5, UserId = $"auth0|user{i % 7}",
    };

    [Fact]
    public void A_full_queue_drops_and_counts_instead_of_blocking()
    {
        var recorder = new FlowEventRecorder(NullLogger<FlowEventRecorder>.Instance, TimeProvider.System, capacity: 10);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++) recorder.Record(Event(i));
        Assert.Equal(990, recorder.Dropped);
        Assert.Equal(10, recorder.Pending);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), "recording must never wait on the database");
    }

    [Fact]
    public async Task Graceful_shutdown_flushes_every_queued_event()
    {
        await using var host = await AppDataHost.StartAsync();
        var recorder = host.Services.GetRequiredService<FlowEventRecorder>();
        for (var i = 0; i < 5_000; i++) recorder.Record(Event(i));
        await host.StopAsync();

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(5_000, await db.FlowEvents.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(5_000, await db.FlowRollups.SumAsync(r => r.Count, TestContext.Current.CancellationToken));
        Assert.Equal(0, recorder.Dropped);
    }
}
