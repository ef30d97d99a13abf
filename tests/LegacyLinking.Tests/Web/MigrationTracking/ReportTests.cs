using System.Globalization;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>
/// The hand-computed fixture, recorded once per test class through the real recorder and writer (then flushed by a
/// graceful stop) into a fresh database of the class's store; the tests only read it.
/// </summary>
public abstract class ReportData(MigrationStore store) : IAsyncLifetime
{
    public static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    public AppDataHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await store.StartAsync();
        var recorder = Host.Services.GetRequiredService<FlowEventRecorder>();
        // LegacyIdToken link: 4 requests by 2 users, 3 ok (1, 3, 40 ms), 1 rejected 401 invalid_token (700 ms); shadow 3/4 would-succeed.
        recorder.Record(E(T0, "link", "LegacyIdToken", "ok", 1, "auth0|a", shadow: "would-succeed"));
        recorder.Record(E(T0.AddMinutes(5), "link", "LegacyIdToken", "ok", 3, "auth0|a", shadow: "would-succeed"));
        recorder.Record(E(T0.AddHours(1), "link", "LegacyIdToken", "ok", 40, "auth0|b", shadow: "would-succeed"));
        recorder.Record(E(T0.AddHours(1).AddMinutes(1), "link", "LegacyIdToken", "rejected", 700, "auth0|b", 401, "invalid_token", "would-fail:scope"));
        // AccessToken link: 2 ok (15, 18 ms) by 1 user.
        recorder.Record(E(T0.AddHours(1), "link", "AccessToken", "ok", 15, "auth0|c"));
        recorder.Record(E(T0.AddHours(2), "link", "AccessToken", "ok", 18, "auth0|c"));
        // A formula-looking user id and an unlink outside the default range.
        recorder.Record(E(T0.AddHours(2), "unlink", "ServerToken", "refused", 2, "=HYPERLINK(\"x\")", errorCode: "primary_identity"));
        recorder.Record(E(T0.AddDays(-30), "unlink", "LegacyUnlinkEndpoint", "ok", 5, "auth0|old", shadow: "would-succeed"));
        // A suggestion lookup: its own figures, and out of the event list unless asked for.
        recorder.Record(E(T0.AddHours(3), "suggest", "UsersByEmail", "ok", 4, "auth0|a"));
        await Host.StopAsync(); // flush
    }

    private static FlowEvent E(DateTime at, string op, string flow, string outcome, double ms, string user, int? status = null, string? errorCode = null, string? shadow = null) =>
        new() { At = at, Operation = op, Flow = flow, Reason = "Percentile", Outcome = outcome, DurationMs = ms, UserId = user, Status = status, ErrorCode = errorCode, Shadow = shadow };

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

public sealed class SqliteReportData() : ReportData(new SqliteStore());

public sealed class PostgresReportData(PostgresFixture postgres) : ReportData(new PostgresStore(postgres));

/// <summary>The report's figures, event list and exports against the hand-computed fixture, on SQLite and on PostgreSQL.</summary>
public abstract class ReportTests(ReportData data)
{
    private static readonly DateTime T0 = ReportData.T0;
    private readonly AppDataHost _host = data.Host;

    private async Task<ReportView> Report(string query = "")
    {
        var errors = new List<string>();
        var filter = ReportFilter.Parse(QueryOf(query), T0.AddDays(1), errors);
        Assert.Empty(errors);
        var report = ActivatorUtilities.CreateInstance<MigrationReport>(_host.Services);
        return await report.BuildAsync(filter, TestContext.Current.CancellationToken);
    }

    private static QueryCollection QueryOf(string query) =>
        new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));

    [Fact]
    public async Task Per_flow_figures_match_the_hand_computed_fixture()
    {
        var view = await Report();
        var legacy = view.Flows.Single(f => f.Operation == "link" && f.Flow == "LegacyIdToken");
        Assert.Equal(4, legacy.Requests);
        Assert.Equal(0.75, legacy.SuccessRate);
        Assert.Equal(5, legacy.P50Ms);    // sorted 1, 3, 40, 700: the 2nd value (3 ms) sits in the ≤5 ms bucket
        Assert.Equal(1000, legacy.P95Ms); // the 4th value (700 ms) sits in the ≤1000 ms bucket
        Assert.Equal([("invalid_token", 1L)], legacy.TopErrors);
        Assert.Equal(T0, legacy.FirstSeen);
        Assert.Equal(T0.AddHours(1).AddMinutes(1), legacy.LastSeen);
        Assert.Equal(2, legacy.DistinctUsers);
        Assert.Equal((4L, 3L), (legacy.ShadowChecked, legacy.ShadowWouldSucceed));

        var current = view.Flows.Single(f => f.Flow == "AccessToken");
        Assert.Equal((2L, 1.0, 1), (current.Requests, current.SuccessRate, current.DistinctUsers));
        Assert.Equal((20.0, 20.0), (current.P50Ms, current.P95Ms)); // 15 and 18 ms both sit in the ≤20 ms bucket
        Assert.Equal((T0.AddHours(1), T0.AddHours(2)), (current.FirstSeen, current.LastSeen));
        Assert.Empty(current.TopErrors);
        Assert.Equal((0L, 0L), (current.ShadowChecked, current.ShadowWouldSucceed));

        var unlink = view.Flows.Single(f => f.Operation == "unlink");
        Assert.Equal(("ServerToken", 1L, 0.0, 1), (unlink.Flow, unlink.Requests, unlink.SuccessRate, unlink.DistinctUsers));
        Assert.Equal([("primary_identity", 1L)], unlink.TopErrors);
        Assert.Equal((2.0, 2.0), (unlink.P50Ms, unlink.P95Ms));

        // One row per operation and flow, in that order; the old unlink is outside the 7-day default range.
        Assert.Equal([("link", "AccessToken"), ("link", "LegacyIdToken"), ("unlink", "ServerToken")], view.Flows.Select(f => (f.Operation, f.Flow)));
    }

    [Fact]
    public async Task A_wider_range_reaches_older_events()
    {
        var view = await Report("from=2026-10-01T00:00Z");
        var old = view.Flows.Single(f => f.Flow == "LegacyUnlinkEndpoint");
        Assert.Equal((1L, 1.0, 1), (old.Requests, old.SuccessRate, old.DistinctUsers));
        Assert.Equal((T0.AddDays(-30), T0.AddDays(-30)), (old.FirstSeen, old.LastSeen));
        Assert.Equal((1L, 1L), (old.ShadowChecked, old.ShadowWouldSucceed));
        Assert.Equal(4, view.Flows.Count);
    }

    private static SharePoint[] Busy(ReportView view, string operation) =>
        [.. view.Share.Single(s => s.Operation == operation).Points.Where(p => p.Legacy + p.Current > 0)];

    [Fact]
    public async Task Share_over_time_splits_legacy_and_current_per_operation_and_hour()
    {
        var view = await Report("bucket=hour");
        Assert.Equal(["link", "unlink"], view.Share.Select(s => s.Operation));
        // Every hour of the 7 days is a bucket, the empty ones too, from the hour holding 'from' (T0 − 6 days).
        var link = view.Share[0].Points;
        Assert.Equal(168, link.Count);
        Assert.Equal(Enumerable.Range(0, 168).Select(i => T0.AddDays(-6).AddHours(i)), link.Select(p => p.Start));
        Assert.Equal([new SharePoint(T0, 2, 0), new SharePoint(T0.AddHours(1), 2, 1), new SharePoint(T0.AddHours(2), 0, 1)], Busy(view, "link"));
        // Current = AccessToken and ServerToken (a refused request too: it went through the flow); suggestions are left out.
        Assert.Equal([new SharePoint(T0.AddHours(2), 0, 1)], Busy(view, "unlink"));
    }

    [Fact]
    public async Task Share_over_time_splits_legacy_and_current_per_day()
    {
        var view = await Report("from=2026-10-01T00:00Z&bucket=day");
        Assert.Equal(52, view.Share[0].Points.Count); // 1 October to 21 November (the range ends at T0 + 1 day)
        Assert.Equal([new SharePoint(T0.Date, 4, 2)], Busy(view, "link"));
        Assert.Equal([new SharePoint(T0.AddDays(-30).Date, 1, 0), new SharePoint(T0.Date, 0, 1)], Busy(view, "unlink"));

        var week = await Report(); // the default: 7 days by day, from the day holding 'from'
        Assert.Equal(Enumerable.Range(0, 8).Select(i => T0.Date.AddDays(-6 + i)), week.Share[0].Points.Select(p => p.Start));
        Assert.Equal([new SharePoint(T0.Date, 4, 2)], Busy(week, "link"));
    }

    [Theory]
    [InlineData("operation=link", "link")]
    [InlineData("operation=unlink", "unlink")]
    [InlineData("operation=suggest", "")]
    public async Task Share_follows_the_operation_filter(string query, string operations) =>
        Assert.Equal(operations, string.Join(' ', (await Report(query)).Share.Select(s => s.Operation)));

    [Fact]
    public async Task The_report_carries_a_readiness_verdict_per_legacy_flow()
    {
        // The verdicts themselves: ReadinessTests, at a fixed "now".
        var view = await Report();
        Assert.Equal(["LegacyIdToken", "LegacyAuthorize", "LegacyUnlinkEndpoint"], view.Readiness.Flows.Select(r => r.Flow));
        Assert.Contains("enable_idtoken_api2", view.Readiness.Flows[0].Verdict);
    }

    [Fact]
    public async Task Filters_narrow_the_summary_to_one_user()
    {
        var view = await Report("user=auth0%7Cb");
        var legacy = Assert.Single(view.Flows);
        Assert.Equal((2L, 0.5, 1), (legacy.Requests, legacy.SuccessRate, legacy.DistinctUsers));
        Assert.Equal((50.0, 1000.0), (legacy.P50Ms, legacy.P95Ms)); // 40 ms and 700 ms
        Assert.Equal((T0.AddHours(1), T0.AddHours(1).AddMinutes(1)), (legacy.FirstSeen, legacy.LastSeen));
        Assert.Equal((2L, 1L), (legacy.ShadowChecked, legacy.ShadowWouldSucceed));
        Assert.Equal([new SharePoint(T0.Date, 2, 0)], Busy(view, "link"));
        Assert.Empty(Busy(view, "unlink"));
    }

    [Theory]
    [InlineData("operation=unlink", "unlink/ServerToken:1")]
    [InlineData("flow=AccessToken", "link/AccessToken:2")]
    [InlineData("outcome=ok", "link/AccessToken:2 link/LegacyIdToken:3")]
    [InlineData("outcome=rejected&operation=link", "link/LegacyIdToken:1")]
    [InlineData("flow=LegacyIdToken&from=2026-11-20T11:00Z", "link/LegacyIdToken:2")]
    [InlineData("operation=suggest", "")]
    [InlineData("flow=legacyidtoken&outcome=OK", "link/LegacyIdToken:3")]
    public async Task Filters_narrow_the_summary(string query, string expected)
    {
        var view = await Report(query);
        Assert.Equal(expected, string.Join(' ', view.Flows.Select(f => $"{f.Operation}/{f.Flow}:{f.Requests}")));
    }

    [Theory]
    [InlineData("", "suggest/UsersByEmail:1")]
    [InlineData("operation=suggest", "suggest/UsersByEmail:1")]
    [InlineData("operation=all", "suggest/UsersByEmail:1")]
    [InlineData("operation=link", "")]
    public async Task Suggestion_lookups_have_their_own_figures(string query, string expected)
    {
        var view = await Report(query);
        Assert.Equal(expected, string.Join(' ', view.Suggestions.Select(f => $"{f.Operation}/{f.Flow}:{f.Requests}")));
        Assert.DoesNotContain(view.Flows, f => f.Operation == "suggest");
        var lookups = Assert.Single((await Report()).Suggestions);
        Assert.Equal((1.0, 1, 5.0), (lookups.SuccessRate, lookups.DistinctUsers, lookups.P50Ms));
    }

    [Theory]
    [InlineData("", 7, 0)]
    [InlineData("operation=suggest", 1, 1)]
    [InlineData("operation=all", 8, 1)]
    [InlineData("operation=ALL&user=auth0%7Ca", 3, 1)]
    public async Task The_event_list_leaves_suggestion_lookups_out_unless_asked(string query, int listed, int suggestions)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var errors = new List<string>();
        var filter = ReportFilter.Parse(QueryOf(query), T0.AddDays(1), errors);
        Assert.Empty(errors);
        var events = await (await EventQuery.ListAsync(db, filter, ct)).ToListAsync(ct);
        Assert.Equal((listed, suggestions), (events.Count, events.Count(e => e.Operation == "suggest")));
    }

    [Fact]
    public async Task A_user_typed_in_another_case_finds_the_recorded_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        Assert.Equal("auth0|b", await KnownUsers.ResolveAsync(db, "AUTH0|B", ct));
        Assert.Equal("auth0|b", await KnownUsers.ResolveAsync(db, "auth0|b", ct));
        Assert.Equal("auth0|nobody", await KnownUsers.ResolveAsync(db, "auth0|nobody", ct));
        // The filter's suggestions: the users active in the range; the old unlink's user only in a wider one.
        Assert.Equal(["=HYPERLINK(\"x\")", "auth0|a", "auth0|b", "auth0|c"], (await KnownUsers.ActiveInAsync(db, T0.AddDays(-6), T0.AddDays(1), ct)).Order(StringComparer.Ordinal));
        Assert.Contains("auth0|old", await KnownUsers.ActiveInAsync(db, T0.AddDays(-40), T0.AddDays(1), ct));
    }

    [Fact]
    public async Task An_outcome_filter_also_narrows_first_and_last_seen()
    {
        var rejected = Assert.Single((await Report("outcome=rejected")).Flows);
        Assert.Equal((T0.AddHours(1).AddMinutes(1), T0.AddHours(1).AddMinutes(1)), (rejected.FirstSeen, rejected.LastSeen));
    }

    [Fact]
    public async Task The_event_list_is_newest_first_and_paged()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var filter = ReportFilter.Parse(QueryOf(""), T0.AddDays(1), []);
        var all = await EventQuery.Apply(db, filter).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(
            [T0.AddHours(2), T0.AddHours(2), T0.AddHours(1).AddMinutes(1), T0.AddHours(1), T0.AddHours(1), T0.AddMinutes(5), T0],
            all.Select(e => e.At));
        Assert.True(all[0].Id > all[1].Id, "ties are ordered by id, newest first");

        var page = await EventQuery.Apply(db, filter).Skip(2).Take(3).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(all.Skip(2).Take(3).Select(e => e.Id), page.Select(e => e.Id));

        var oneUser = await EventQuery.Apply(db, filter with { UserId = "=HYPERLINK(\"x\")" }).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("unlink", "ServerToken", "refused", "primary_identity", (int?)null), (oneUser.Operation, oneUser.Flow, oneUser.Outcome, oneUser.ErrorCode, oneUser.Status));
    }

    [Fact]
    public async Task A_filter_on_flow_or_outcome_reads_only_the_hours_that_hold_matches()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var filter = ReportFilter.Parse(QueryOf(""), T0.AddDays(1), []);

        // LegacyIdToken: T0 and T0+5 min, then T0+1 h and T0+1 h 1 min — its hours are T0 and T0+1 h.
        var legacy = (await EventQuery.NarrowAsync(db, filter with { Flow = "LegacyIdToken" }, ct))!;
        Assert.Equal((T0, T0.AddHours(2), "link"), (legacy.From, legacy.To, legacy.Operation)); // it only ever linked here
        Assert.Equal(4, await EventQuery.Apply(db, legacy).CountAsync(ct));
        // A range starting inside an hour keeps its own start; nothing at its edges is lost.
        var late = (await EventQuery.NarrowAsync(db, filter with { From = T0.AddMinutes(3), Flow = "LegacyIdToken" }, ct))!;
        Assert.Equal([T0.AddHours(1).AddMinutes(1), T0.AddHours(1), T0.AddMinutes(5)], await EventQuery.Apply(db, late).Select(e => e.At).ToListAsync(ct));
        var rejected = (await EventQuery.NarrowAsync(db, filter with { Outcome = "rejected" }, ct))!;
        Assert.Null(rejected.Operation); // no flow named: the operation stays open
        Assert.Equal([T0.AddHours(1).AddMinutes(1)], await EventQuery.Apply(db, rejected).Select(e => e.At).ToListAsync(ct));

        // No rollup matches: nothing to read at all.
        Assert.Null(await EventQuery.NarrowAsync(db, filter with { Flow = "LegacyAuthorize" }, ct));
        Assert.Null(await EventQuery.NarrowAsync(db, filter with { Flow = "LegacyUnlinkEndpoint" }, ct)); // only 30 days before the range
        // Links and unlinks only (the default): the hours up to the last of them, before the suggestion lookup at T0+3 h.
        Assert.Equal((T0, T0.AddHours(3)), await EventQuery.NarrowAsync(db, filter, ct) is { } links ? (links.From, links.To) : default);
        // Nothing to narrow by: the filter as it was.
        var everything = filter with { ExcludeSuggestions = false };
        Assert.Equal(everything, await EventQuery.NarrowAsync(db, everything, ct));
    }

    [Fact]
    public async Task Csv_export_round_trips_and_neutralises_formulas()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var filter = ReportFilter.Parse(QueryOf(""), T0.AddDays(1), []);
        var events = await EventQuery.Apply(db, filter).ToListAsync(TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        await FlowEventExport.WriteCsvAsync(EventQuery.Apply(db, filter).AsAsyncEnumerable(), stream, TestContext.Current.CancellationToken);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', FlowEventExport.Columns), lines[0]);
        Assert.Equal(8, lines.Length); // header + 7 events in range, in the list's order
        Assert.Equal(events.Select(Cells), lines.Skip(1).Select(ParseCsvLine));
        var refused = lines.Single(l => l.Contains("ServerToken"));
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", refused); // quoted, doubled quotes, leading apostrophe
        Assert.Contains(",2026-11-20T12:00:00.0000000Z,", refused); // UTC, marked as such, whatever the store
        Assert.DoesNotContain(",=", string.Join('\n', lines));
        Assert.Equal("'+1", FlowEventExport.Cell("+1"));
        Assert.Equal("'-2", FlowEventExport.Cell("-2"));
        Assert.Equal("'@SUM(A1)", FlowEventExport.Cell("@SUM(A1)"));

        static string[] Cells(FlowEvent e) =>
        [
            e.Id.ToString(CultureInfo.InvariantCulture), DateTime.SpecifyKind(e.At, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
            e.Operation, e.Flow, e.Reason, e.Outcome, e.Status?.ToString(CultureInfo.InvariantCulture) ?? "", e.ErrorCode ?? "",
            e.DurationMs.ToString(CultureInfo.InvariantCulture), e.UserId.StartsWith('=') ? "'" + e.UserId : e.UserId, e.Shadow ?? "", e.TraceId ?? "",
        ];
    }

    /// <summary>One RFC 4180 line (quoted cells may hold commas and doubled quotes).</summary>
    private static string[] ParseCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }

    [Fact]
    public async Task Json_export_round_trips_every_field()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var filter = ReportFilter.Parse(QueryOf("flow=LegacyIdToken&outcome=rejected"), T0.AddDays(1), []);
        var stored = await EventQuery.Apply(db, filter).SingleAsync(TestContext.Current.CancellationToken);
        using var stream = new MemoryStream();
        await FlowEventExport.WriteJsonAsync(EventQuery.Apply(db, filter).AsAsyncEnumerable(), stream, TestContext.Current.CancellationToken);
        var row = Assert.Single(JsonDocument.Parse(stream.ToArray()).RootElement.EnumerateArray());
        Assert.Equal(FlowEventExport.Columns, row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(stored.Id, row.GetProperty("id").GetInt64());
        Assert.Equal("2026-11-20T11:01:00Z", row.GetProperty("at").GetString());
        Assert.Equal(T0.AddHours(1).AddMinutes(1), row.GetProperty("at").GetDateTime().ToUniversalTime());
        Assert.Equal(("link", "LegacyIdToken", "Percentile", "rejected"),
            (row.GetProperty("operation").GetString(), row.GetProperty("flow").GetString(), row.GetProperty("reason").GetString(), row.GetProperty("outcome").GetString()));
        Assert.Equal(401, row.GetProperty("status").GetInt32());
        Assert.Equal("invalid_token", row.GetProperty("errorCode").GetString());
        Assert.Equal(700, row.GetProperty("durationMs").GetDouble());
        Assert.Equal("auth0|b", row.GetProperty("userId").GetString());
        Assert.Equal("would-fail:scope", row.GetProperty("shadow").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("traceId").ValueKind);
    }
}

public sealed class ReportTestsOnSqlite(SqliteReportData data) : ReportTests(data), IClassFixture<SqliteReportData>;

public sealed class ReportTestsOnPostgres(PostgresReportData data) : ReportTests(data), IClassFixture<PostgresReportData>;

/// <summary>The filter's parsing on its own (no database).</summary>
public sealed class ReportFilterTests
{
    [Theory]
    [InlineData("from=yesterday")]
    [InlineData("operation=drop")]
    [InlineData("outcome=maybe")]
    [InlineData("from=2026-11-22&to=2026-11-01")]
    [InlineData("flow=LegacyMagic")]
    [InlineData("to=tomorrow")]
    [InlineData("bucket=month")]
    public void Bad_filters_are_errors_naming_the_field(string query)
    {
        var errors = new List<string>();
        ReportFilter.Parse(Query(query), ReportData.T0, errors);
        Assert.NotEmpty(errors);
        Assert.Contains($"'{query.Split('=')[0]}'", errors[0]);
    }

    [Theory]
    [InlineData("flow=legacyidtoken&operation=LINK&outcome=Ok&bucket=DAY", "LegacyIdToken", "link", "ok", "day")]
    [InlineData("flow=usersbyemail", "UsersByEmail", null, null, "day")]
    public void Choices_match_whatever_their_case(string query, string flow, string? operation, string? outcome, string bucket)
    {
        var errors = new List<string>();
        var filter = ReportFilter.Parse(Query(query), ReportData.T0, errors);
        Assert.Empty(errors);
        Assert.Equal((flow, operation, outcome, bucket), (filter.Flow, filter.Operation, filter.Outcome, filter.Bucket));
    }

    [Theory]
    [InlineData("to=now")]
    [InlineData("to=NOW")]
    [InlineData("to=")]
    [InlineData("")]
    public void To_now_ends_the_range_when_the_page_is_read(string query)
    {
        var errors = new List<string>();
        var filter = ReportFilter.Parse(Query(query), ReportData.T0, errors);
        Assert.Empty(errors);
        Assert.Equal((ReportData.T0.AddDays(-7), ReportData.T0), (filter.From, filter.To));
        Assert.True(ReportFilter.IsOpenEnded(Query(query)["to"]));
    }

    [Theory]
    [InlineData("from=2026-11-19T10:00Z", "hour")]
    [InlineData("from=2026-11-01T00:00Z", "day")]
    [InlineData("from=2026-06-01T00:00Z", "week")]
    public void The_default_bucket_keeps_the_chart_readable(string query, string bucket) =>
        Assert.Equal(bucket, ReportFilter.Parse(Query(query), ReportData.T0, []).Bucket);

    private static QueryCollection Query(string query) => new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));
}
