using System.Diagnostics.Metrics;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>Real requests through the app write the migration record: every operation, flow and outcome.</summary>
public sealed class RecordingThroughTheAppTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task Links_unlinks_refusals_tenant_rejections_and_suggestions_are_recorded()
    {
        await stack.UseFlowsAsync(LinkFlows.LegacyIdToken, UnlinkFlows.AccessToken);
        // This test's records are the ones stamped from now on: the writer may still be storing an earlier test's.
        var since = DateTime.UtcNow;
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();                          // suggest: John is verified → ok
        await john.LinkSmsAsync();                               // link LegacyIdToken ok, shadow checked
        await john.UnlinkAsync("sms", SmsId);                    // unlink AccessToken ok, no shadow (current flow)
        await john.PostUnlinkAsync("google-oauth2", "115015401343387192604"); // refused by the app: primary identity
        await TenantAdmin.SetFlagAsync(stack, TenantAdmin.IdTokenBearer, false);
        try
        {
            await john.LinkSmsAsync();                           // link LegacyIdToken rejected by the tenant: 401
        }
        finally
        {
            await TenantAdmin.SetFlagAsync(stack, TenantAdmin.IdTokenBearer, true);
        }

        // The writer stores the records in batches (each may fill for a moment): wait for the four link and unlink
        // records, not just for any five (profile views add suggestion records meanwhile).
        await stack.EventsAsync(e => e.At >= since && e.Operation != "suggest", atLeast: 4);
        var events = await stack.EventsAsync(e => e.At >= since, atLeast: 5);
        var links = events.Where(e => e.Operation == "link").ToList();
        Assert.Collection(links,
            ok => Assert.Equal(("LegacyIdToken", "QaGlobal", "ok", (int?)null, "would-succeed", Seeded.John), (ok.Flow, ok.Reason, ok.Outcome, ok.Status, ok.Shadow, ok.UserId)),
            rejected => Assert.Equal(("LegacyIdToken", "rejected", (int?)401), (rejected.Flow, rejected.Outcome, rejected.Status)));
        var unlinks = events.Where(e => e.Operation == "unlink").ToList();
        Assert.Collection(unlinks,
            ok => Assert.Equal(("AccessToken", "ok", (string?)null), (ok.Flow, ok.Outcome, ok.Shadow)),
            refused => Assert.Equal(("refused", "primary_identity"), (refused.Outcome, refused.ErrorCode)));
        Assert.Contains(events, e => e.Operation == "suggest" && e.Flow == "UsersByEmail" && e.Outcome == "ok" && e.UserId == Seeded.John);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.TraceId)));
        Assert.All(events, e => Assert.True(e.DurationMs >= 0));
    }

    [Fact]
    public async Task Every_request_is_counted_on_the_migration_meter()
    {
        var measured = new List<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == FlowMetrics.MeterName) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measured) measured.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        });
        var batches = new List<double>();
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "legacylinking.recorder.batch.duration") lock (batches) batches.Add(value);
        });
        listener.Start();

        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.ServerToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await john.PostUnlinkAsync("google-oauth2", "115015401343387192604");

        lock (measured)
            Assert.Contains(measured, m => m.Instrument == "legacylinking.flow.requests" && m.Tags == "operation=unlink,flow=ServerToken,outcome=refused");

        // The writer's batches are timed too, once it has stored the refusal.
        await stack.EventsAsync(e => e is { Operation: "unlink", Flow: "ServerToken", Outcome: "refused" } && e.UserId == Seeded.John);
        for (var attempt = 0; attempt < 100 && batches.Count == 0; attempt++) await Task.Delay(20, TestContext.Current.CancellationToken); // timed after the commit
        lock (batches)
        {
            Assert.NotEmpty(batches);
            Assert.All(batches, ms => Assert.InRange(ms, 0, 60_000));
        }
    }
}
