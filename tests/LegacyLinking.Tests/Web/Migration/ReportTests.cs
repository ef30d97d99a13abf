using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace LegacyLinking.Tests.Web.Migration;

/// <summary>The report's figures against a hand-computed fixture, on a real SQLite database through the real writer.</summary>
public sealed class ReportTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
    private AppDataHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await AppDataHost.StartAsync();
        var recorder = _host.Services.GetRequiredService<FlowEventRecorder>();
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
        await _host.StopAsync(); // flush
    }

    private static FlowEvent E(DateTime at, string op, string flow, string outcome, double ms, string user, int? status = null, string? errorCode = null, string? shadow = null) =>
        new() { At = at, Operation = op, Flow = flow, Reason = "Percentile", Outcome = outcome, DurationMs = ms, UserId = user, Status = status, ErrorCode = errorCode, Shadow = shadow };

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
        Assert.DoesNotContain(view.Flows, f => f.Flow == "LegacyUnlinkEndpoint"); // outside the 7-day default range
    }

    [Fact]
    public async Task Share_over_time_splits_legacy_and_current_per_hour()
    {
        var view = await Report("bucket=hour");
        Assert.Equal(
            [new SharePoint(T0, 2, 0), new SharePoint(T0.AddHours(1), 2, 1), new SharePoint(T0.AddHours(2), 0, 2)],
            view.Share);
    }

    [Fact]
    public async Task Readiness_states_the_rule_and_refuses_while_a_flow_is_in_use()
    {
        var view = await Report();
        var idToken = view.Readiness.Single(r => r.Flow == "LegacyIdToken");
        Assert.False(idToken.Safe); // 75 % would-succeed is never enough, whenever the test runs
        Assert.Equal((4L, 3L), (idToken.ShadowChecked, idToken.ShadowWouldSucceed));
        Assert.Contains("75 % would-succeed over 4 requests", idToken.Verdict);
        Assert.Contains("enable_idtoken_api2", idToken.Verdict);
        Assert.Contains("0 requests in the last 14 days", idToken.Rule);

        var unlinkEndpoint = view.Readiness.Single(r => r.Flow == "LegacyUnlinkEndpoint");
        Assert.True(unlinkEndpoint.Safe, unlinkEndpoint.Verdict);
        Assert.Equal("LegacyUnlinkEndpoint: 0 requests in the last 14 days, shadow check 100 % would-succeed over 1 requests → safe to switch off allow_legacy_unlink_endpoint", unlinkEndpoint.Verdict);
        Assert.False(view.Readiness.Single(r => r.Flow == "LegacyAuthorize").Safe); // never shadow-checked
    }

    [Fact]
    public async Task Filters_narrow_the_summary_to_one_user()
    {
        var view = await Report("user=auth0%7Cb");
        var legacy = Assert.Single(view.Flows);
        Assert.Equal((2L, 0.5), (legacy.Requests, legacy.SuccessRate));
    }

    [Fact]
    public async Task Csv_export_round_trips_and_neutralises_formulas()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var filter = ReportFilter.Parse(QueryOf(""), T0.AddDays(1), []);
        using var stream = new MemoryStream();
        await FlowEventExport.WriteCsvAsync(EventQuery.Apply(db.FlowEvents.AsNoTracking(), filter).AsAsyncEnumerable(), stream, TestContext.Current.CancellationToken);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', FlowEventExport.Columns), lines[0]);
        Assert.Equal(8, lines.Length); // header + 7 events in range
        var refused = lines.Single(l => l.Contains("ServerToken"));
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", refused); // quoted, doubled quotes, leading apostrophe
        Assert.DoesNotContain(",=", string.Join('\n', lines));
        Assert.Equal("'+1", FlowEventExport.Cell("+1"));
        Assert.Equal("'-2", FlowEventExport.Cell("-2"));
        Assert.Equal("'@SUM(A1)", FlowEventExport.Cell("@SUM(A1)"));
    }

    [Fact]
    public async Task Json_export_round_trips_every_field()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var filter = ReportFilter.Parse(QueryOf("flow=LegacyIdToken&outcome=rejected"), T0.AddDays(1), []);
        using var stream = new MemoryStream();
        await FlowEventExport.WriteJsonAsync(EventQuery.Apply(db.FlowEvents.AsNoTracking(), filter).AsAsyncEnumerable(), stream, TestContext.Current.CancellationToken);
        var row = Assert.Single(JsonDocument.Parse(stream.ToArray()).RootElement.EnumerateArray());
        Assert.Equal("link", row.GetProperty("operation").GetString());
        Assert.Equal(401, row.GetProperty("status").GetInt32());
        Assert.Equal("invalid_token", row.GetProperty("errorCode").GetString());
        Assert.Equal(700, row.GetProperty("durationMs").GetDouble());
        Assert.Equal("would-fail:scope", row.GetProperty("shadow").GetString());
        Assert.Equal(T0.AddHours(1).AddMinutes(1), row.GetProperty("at").GetDateTime().ToUniversalTime());
    }

    [Theory]
    [InlineData("from=yesterday")]
    [InlineData("operation=drop")]
    [InlineData("outcome=maybe")]
    [InlineData("from=2026-11-22&to=2026-11-01")]
    public void Bad_filters_are_errors_naming_the_field(string query)
    {
        var errors = new List<string>();
        ReportFilter.Parse(QueryOf(query), T0, errors);
        Assert.NotEmpty(errors);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
