using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Hosting;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>
/// Legacy traffic around "now" (N), recorded through the real recorder and writer: refusals beside requests the
/// tenant answered, verdicts from before the readiness window, and depnotes in and out of it.
/// </summary>
public abstract class ReadinessData(MigrationStore store) : IAsyncLifetime
{
    public static readonly DateTime N = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    public AppDataHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await store.StartAsync();
        var recorder = Host.Services.GetRequiredService<FlowEventRecorder>();
        // LegacyIdToken in the window: 3 ok and 1 rejected reached the tenant (3 would-succeed, 1 would-fail:scope) …
        for (var i = 0; i < 3; i++) recorder.Record(E(N.AddDays(-3).AddHours(i), "link", "LegacyIdToken", "ok", shadow: "would-succeed"));
        recorder.Record(E(N.AddDays(-2), "link", "LegacyIdToken", "rejected", 401, "invalid_token", "would-fail:scope"));
        // … and 4 that never did: the app refused 3 first, 1 got no answer. All "would-succeed": they must not count.
        recorder.Record(E(N.AddDays(-2).AddHours(1), "link", "LegacyIdToken", "refused", errorCode: "wrong_account", shadow: "would-succeed"));
        recorder.Record(E(N.AddDays(-2).AddHours(2), "link", "LegacyIdToken", "refused", errorCode: "wrong_account", shadow: "would-succeed"));
        recorder.Record(E(N.AddDays(-1), "unlink", "LegacyIdToken", "refused", errorCode: "primary_identity", shadow: "would-succeed"));
        recorder.Record(E(N.AddDays(-1).AddHours(1), "link", "LegacyIdToken", "error", errorCode: "tenant_unavailable", shadow: "would-succeed"));
        // Old verdicts, 20 days back: outside the window.
        recorder.Record(E(N.AddDays(-20), "link", "LegacyIdToken", "ok", shadow: "would-fail:audience"));
        recorder.Record(E(N.AddDays(-20).AddHours(1), "link", "LegacyIdToken", "ok", shadow: "would-fail:audience"));
        // LegacyAuthorize: the tenant finished the login without linking (not_linked): the flow failed at the tenant.
        recorder.Record(E(N.AddDays(-5), "link", "LegacyAuthorize", "refused", errorCode: "not_linked", shadow: "would-fail:no-access-token"));
        // LegacyUnlinkEndpoint: one old request with a would-fail verdict (30 days back), none since.
        recorder.Record(E(N.AddDays(-30), "unlink", "LegacyUnlinkEndpoint", "ok", shadow: "would-fail:scope"));
        await Host.StopAsync(); // flush

        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        db.TenantLogEvents.AddRange(
            Depnote("in-window", N.AddDays(-6), "legacy_unlink_endpoint"),
            Depnote("old", N.AddDays(-25), "enable_idtoken_api2"));
        await db.SaveChangesAsync();
    }

    private static FlowEvent E(DateTime at, string op, string flow, string outcome, int? status = null, string? errorCode = null, string? shadow = null) =>
        new() { At = at, Operation = op, Flow = flow, Reason = "Percentile", Outcome = outcome, DurationMs = 5, UserId = "auth0|someone", Status = status, ErrorCode = errorCode, Shadow = shadow };

    private static TenantLogEvent Depnote(string id, DateTime at, string feature) =>
        new() { LogId = id, Date = at, Type = "depnote", Feature = feature, ClientId = "legacy-spa" };

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

public sealed class SqliteReadinessData() : ReadinessData(new SqliteStore());

public sealed class PostgresReadinessData(PostgresFixture postgres) : ReadinessData(new PostgresStore(postgres));

/// <summary>The readiness verdicts, their shadow tallies and their weekly data at a chosen "now", on both stores.</summary>
public abstract class ReadinessTests(ReadinessData data)
{
    private static readonly DateTime N = ReadinessData.N;

    private static readonly DepnotePolling Polling = new(TimeSpan.FromMinutes(1));

    /// <summary>The verdicts at <paramref name="now"/>, by default with a reader that read the tenant's log from 30 days back up to then.</summary>
    private async Task<Dictionary<string, Readiness>> ReadinessAt(DateTime now, string? domain = null) =>
        (await ViewAt(now, Reader(now, coveredFrom: now.AddDays(-30)), domain)).Flows.ToDictionary(r => r.Flow);

    private async Task<ReadinessView> ViewAt(DateTime now, TenantLogReaderState? reader, string? domain = null, DepnotePolling? polling = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new Auth0Options { Domain = domain, ClientId = domain is null ? null : "app", ClientSecret = domain is null ? null : "secret" };
        var tenant = new Auth0Tenant(Options.Create(options), Options.Create(new LocalTenantOptions()));
        await using var db = await data.Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        await db.TenantLogReader.ExecuteDeleteAsync(ct);
        if (reader is not null)
        {
            db.TenantLogReader.Add(reader);
            await db.SaveChangesAsync(ct);
        }
        var report = new ReadinessReport(new FakeTimeProvider(new DateTimeOffset(now)), tenant, polling ?? Polling);
        return await report.BuildAsync(db, ct);
    }

    /// <summary>A reader's state after a successful read at <paramref name="lastRead"/> (default: now) that reached back to <paramref name="coveredFrom"/>.</summary>
    private static TenantLogReaderState Reader(DateTime now, DateTime coveredFrom, DateTime? lastRead = null, DateTime? logKeptFrom = null) => new()
    {
        StartedAt = coveredFrom, CoveredFrom = coveredFrom, CoveredUntil = lastRead ?? now, LastReadAt = lastRead ?? now,
        LastSuccessAt = lastRead ?? now, CaughtUp = true, LogKeptFrom = logKeptFrom ?? coveredFrom.AddDays(-1),
    };

    [Fact]
    public async Task The_shadow_check_counts_only_what_reached_the_tenant_in_the_window()
    {
        var idToken = (await ReadinessAt(N))["LegacyIdToken"];
        Assert.Equal(ReadinessState.NotYet, idToken.State);
        Assert.Equal(8, idToken.RecentRequests); // everything routed through it in 14 days
        var shadow = idToken.Shadow;
        Assert.Equal((4L, 4L, 3L), (shadow.Sent, shadow.Checked, shadow.WouldSucceed)); // not 8 checked / 7 would-succeed
        Assert.Equal([("scope", 1L)], shadow.WouldFail); // the old would-fail:audience verdicts are out of the window
        Assert.Equal([("wrong_account", 2L), ("primary_identity", 1L), ("tenant_unavailable", 1L)], shadow.LeftOut);
        Assert.Equal("3 of 4 would have succeeded through the current flow; would fail: scope 1.", shadow.Summary);
        Assert.Equal("LegacyIdToken: 8 requests in the last 14 days (4 reached the tenant, 4 did not), 0 tenant depnotes for enable_idtoken_api2 → keep enable_idtoken_api2 on", idToken.Verdict);
        Assert.Equal(N.AddDays(-1).AddHours(1), idToken.LastRequest);

        // A refusal the tenant caused is a request the flow sent.
        var authorize = (await ReadinessAt(N))["LegacyAuthorize"].Shadow;
        Assert.Equal((1L, 1L, 0L), (authorize.Sent, authorize.Checked, authorize.WouldSucceed));
        Assert.Equal([("no-access-token", 1L)], authorize.WouldFail);
        Assert.Empty(authorize.LeftOut);
    }

    [Fact]
    public async Task A_depnote_in_the_window_keeps_an_unused_flow_from_being_ready()
    {
        var unlinkEndpoint = (await ReadinessAt(N))["LegacyUnlinkEndpoint"];
        Assert.Equal(ReadinessState.NotYet, unlinkEndpoint.State);
        Assert.Equal((0L, 1L), (unlinkEndpoint.RecentRequests, unlinkEndpoint.DepnotesRecent));
        Assert.Equal("LegacyUnlinkEndpoint: 0 requests in the last 14 days (last 2026-10-21 12:00 UTC), 1 tenant depnotes for legacy_unlink_endpoint → keep allow_legacy_unlink_endpoint on", unlinkEndpoint.Verdict);
    }

    [Fact]
    public async Task Old_verdicts_and_old_depnotes_do_not_block_for_ever()
    {
        // Twenty days on: everything above is older than the window, would-fails included.
        var later = await ReadinessAt(N.AddDays(20));
        Assert.All(later.Values, r => Assert.Equal(ReadinessState.Ready, r.State));
        Assert.Equal("LegacyIdToken: 0 requests in the last 14 days (last 2026-11-19 13:00 UTC), 0 tenant depnotes for enable_idtoken_api2 → safe to switch off enable_idtoken_api2", later["LegacyIdToken"].Verdict);
        Assert.Equal((0L, 0L), (later["LegacyIdToken"].Shadow.Checked, later["LegacyIdToken"].Shadow.LeftOutTotal));
        Assert.Equal(TrendKind.Quiet, later["LegacyIdToken"].Trend.Kind);
        Assert.Equal(N.AddDays(-1).AddHours(1).AddDays(14), later["LegacyIdToken"].Trend.SwitchOffFrom);
    }

    [Fact]
    public async Task No_flow_is_ready_while_the_tenants_depnotes_are_not_known_for_the_whole_window()
    {
        // Twenty days on, every flow would be ready (above) — if the tenant's log had been read over the last 14 days.
        var now = N.AddDays(20);
        var since = now.AddDays(-14); // on the hour
        var cases = new (string Why, TenantLogReaderState? Reader, DepnotePolling? Polling)[]
        {
            ("the tenant's log has not been read yet", null, null),
            ("the tenant's log is not read (Migration:DepnotePollSeconds is 0)", Reader(now, now.AddDays(-30)), new DepnotePolling(TimeSpan.Zero)),
            ("no successful read since 2026-12-10 11:30 UTC", Reader(now, now.AddDays(-30), lastRead: now.AddMinutes(-30)), null),
            ("the tenant's log was read from 2026-12-07 12:00 UTC only", Reader(now, now.AddDays(-3)), null),
            ("the tenant's log goes back only to 2026-12-05 12:00 UTC", Reader(now, now.AddDays(-5), logKeptFrom: now.AddDays(-5)), null),
        };
        foreach (var (why, reader, polling) in cases)
        {
            var view = await ViewAt(now, reader, polling: polling);
            Assert.False(view.DepnotesKnown, why);
            Assert.All(view.Flows, r => Assert.Equal(ReadinessState.NotYet, r.State));
            Assert.Equal($"LegacyIdToken: 0 requests in the last 14 days (last 2026-11-19 13:00 UTC), 0 tenant depnotes for enable_idtoken_api2 so far, " +
                $"but the tenant's depnotes are not known for the whole window ({why}) → keep enable_idtoken_api2 on", view.Flows[0].Verdict);
            Assert.Equal($"Tenant depnotes are not known for the whole window ({why}): no flow is called ready until the tenant's log has been read back to 2026-11-26 12:00 UTC.",
                view.ReaderSummary);
        }

        // Read back to the window's first hour exactly, and a minute ago: known, and ready.
        var covered = await ViewAt(now, Reader(now, since, lastRead: now.AddMinutes(-1)));
        Assert.True(covered.DepnotesKnown);
        Assert.All(covered.Flows, r => Assert.Equal(ReadinessState.Ready, r.State));
        Assert.Equal("Tenant depnotes are known for the whole window: the tenant's log was read from 2026-11-26 12:00 UTC to 2026-12-10 11:59 UTC.", covered.ReaderSummary);
        // An hour short of it is not.
        Assert.False((await ViewAt(now, Reader(now, since.AddHours(1)))).DepnotesKnown);
    }

    [Fact]
    public async Task The_trend_uses_complete_weeks_since_recording_began()
    {
        // Recording began 30 days before N: 4 complete weeks ending at N, oldest first.
        var idToken = (await ReadinessAt(N.AddMinutes(30)))["LegacyIdToken"].Trend;
        Assert.Equal(N, idToken.WeeksEnd); // the current hour
        Assert.Equal([0, 2, 0, 8], idToken.WeeklyCounts);
        Assert.Equal(TrendKind.Flat, idToken.Kind); // 10 requests in a jumble: no clear trend
        Assert.Equal([0, 0, 0, 1], (await ReadinessAt(N))["LegacyAuthorize"].Trend.WeeklyCounts);
    }

    [Fact]
    public async Task Against_Auth0_the_flows_it_no_longer_serves_say_so()
    {
        var auth0 = await ReadinessAt(N, "legacylinking-test.eu.auth0.com");
        var authorize = auth0["LegacyAuthorize"];
        Assert.Equal(ReadinessState.GoneAtAuth0, authorize.State);
        Assert.StartsWith("LegacyAuthorize: Auth0 no longer offers linking through /authorize?access_token=", authorize.Verdict);
        Assert.Contains("against legacylinking-test.eu.auth0.com this flow can only fail", authorize.Verdict);
        Assert.EndsWith("→ move LinkFlow off it now; there is no tenant flag to switch off.", authorize.Verdict);
        Assert.DoesNotContain("keep", authorize.Verdict);
        var unlinkEndpoint = auth0["LegacyUnlinkEndpoint"];
        Assert.Equal(ReadinessState.GoneAtAuth0, unlinkEndpoint.State);
        Assert.EndsWith("→ keep UnlinkFlow off it; there is no tenant flag to switch off.", unlinkEndpoint.Verdict);
        Assert.DoesNotContain("allow_legacy_unlink_endpoint", unlinkEndpoint.Verdict);
        // The ID-token flow is Auth0's own flag: still a verdict about keeping it.
        Assert.Equal(ReadinessState.NotYet, auth0["LegacyIdToken"].State);
        Assert.EndsWith("keep enable_idtoken_api2 on", auth0["LegacyIdToken"].Verdict);

        // A tenant on loopback is the local one: its flags exist.
        var local = await ReadinessAt(N, "http://127.0.0.1:5081");
        Assert.Equal(ReadinessState.NotYet, local["LegacyAuthorize"].State);
        Assert.EndsWith("keep allow_authorize_access_token_linking on", local["LegacyAuthorize"].Verdict);
    }
}

public sealed class ReadinessTestsOnSqlite(SqliteReadinessData data) : ReadinessTests(data), IClassFixture<SqliteReadinessData>;

public sealed class ReadinessTestsOnPostgres(PostgresReadinessData data) : ReadinessTests(data), IClassFixture<PostgresReadinessData>;
