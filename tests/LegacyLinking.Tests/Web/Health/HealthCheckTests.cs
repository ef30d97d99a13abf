using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Health;

/// <summary>The app against a tenant whose routes a test fails, reading depnotes every second.</summary>
public sealed class HealthStack : AppStackWithTestControls
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Migration:DepnotePollSeconds", "1")];
}

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> as a load balancer reads them, while the real dependencies fail: a
/// locked SQLite file, a tenant that answers 5xx, depnote reads that fail, a record writer that stopped. (PostgreSQL
/// stopped and a deleted SQLite file: <c>DatabaseOutageTests</c>, <c>RecordJournalTests</c>.)
/// </summary>
public sealed class HealthCheckTests(HealthStack stack) : IClassFixture<HealthStack>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync() => await stack.Controls.ResetAsync();

    [Fact]
    public async Task With_every_dependency_answering_the_app_is_live_and_ready()
    {
        var (live, liveChecks) = await ProbeAsync(stack.App.Url, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty(liveChecks.EnumerateObject()); // asks no dependency

        var (ready, checks) = await PollReadyAsync(stack.App.Url, c => Status(c, "depnote-ingestion") == "Healthy" && Status(c, "tenant") == "Healthy");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["database", "depnote-ingestion", "record-writer", "tenant"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_locked_database_makes_the_app_unready_within_the_probe_time_and_ready_again_when_it_is_free()
    {
        await using (var other = new SqliteConnection($"Data Source={Path.Combine(stack.DataDirectory, "app.db")}"))
        {
            await other.OpenAsync(Ct);
            await Sql(other, "BEGIN EXCLUSIVE");
            var clock = Stopwatch.StartNew();
            var (ready, checks) = await ProbeAsync(stack.App.Url, "/health/ready");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.5), $"the probe took {clock.Elapsed}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", Status(checks, "database"));
            Assert.Contains("does not take writes", checks.GetProperty("database").GetProperty("description").GetString());
            Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(stack.App.Url, "/health/live")).Response.StatusCode);
            await Sql(other, "ROLLBACK"); // the lock ends (closing alone would keep it in the connection pool)
        }
        var (after, afterChecks) = await PollReadyAsync(stack.App.Url, c => Status(c, "database") == "Healthy");
        Assert.Equal("Healthy", Status(afterChecks, "database"));
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, after.StatusCode);
    }

    [Fact]
    public async Task A_failing_tenant_degrades_readiness_without_taking_the_instance_out()
    {
        await stack.Controls.AddFaultAsync(new { route = "GET /.well-known/openid-configuration", status = 500, count = 1000 });
        var (ready, checks) = await ProbeAsync(stack.App.Url, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // every instance shares the tenant: the balancer keeps this one
        Assert.Equal("Degraded", Status(checks, "tenant"));
        Assert.Equal("Healthy", Status(checks, "database"));

        await stack.Controls.ResetAsync();
        var (_, again) = await PollReadyAsync(stack.App.Url, c => Status(c, "tenant") == "Healthy");
        Assert.Equal("Healthy", Status(again, "tenant"));
    }

    [Fact]
    public async Task Failing_depnote_reads_degrade_readiness_and_say_why()
    {
        await PollReadyAsync(stack.App.Url, c => Status(c, "depnote-ingestion") == "Healthy" && !Described(c, "depnote-ingestion", "not yet"));
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/logs", status = 403, count = 1000 });
        var (ready, checks) = await PollReadyAsync(stack.App.Url, c => Status(c, "depnote-ingestion") != "Healthy");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", Status(checks, "depnote-ingestion"));
        Assert.Contains("the tenant answered 403", checks.GetProperty("depnote-ingestion").GetProperty("description").GetString());

        await stack.Controls.ResetAsync();
        var (_, after) = await PollReadyAsync(stack.App.Url, c => Status(c, "depnote-ingestion") == "Healthy");
        Assert.Equal("Healthy", Status(after, "depnote-ingestion"));
    }

    [Fact]
    public async Task An_instance_whose_record_writer_stopped_is_not_ready()
    {
        await using var second = await stack.StartSecondInstanceAsync();
        var (before, _) = await PollReadyAsync(second.Url, c => Status(c, "record-writer") == "Healthy");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await second.Services.GetRequiredService<FlowEventWriter>().StopAsync(Ct);
        var (ready, checks) = await ProbeAsync(second.Url, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", Status(checks, "record-writer"));
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(second.Url, "/health/live")).Response.StatusCode);
    }

    private static string? Status(JsonElement checks, string name) => checks.GetProperty(name).GetProperty("status").GetString();

    private static bool Described(JsonElement checks, string name, string words) =>
        checks.GetProperty(name).GetProperty("description").GetString()?.Contains(words) == true;

    /// <summary>One probe, as a load balancer sends it: the response and its <c>checks</c> object.</summary>
    internal static async Task<(HttpResponseMessage Response, JsonElement Checks)> ProbeAsync(Uri app, string path)
    {
        using var http = TestBrowser.Create(app);
        var response = await http.GetAsync(path, Ct);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(response.StatusCode == HttpStatusCode.ServiceUnavailable, body.GetProperty("status").GetString() == "Unhealthy");
        return (response, body.GetProperty("checks"));
    }

    /// <summary>Probes readiness until <paramref name="done"/> holds (up to 30 s); answers the last probe.</summary>
    internal static async Task<(HttpResponseMessage Response, JsonElement Checks)> PollReadyAsync(Uri app, Func<JsonElement, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = await ProbeAsync(app, "/health/ready");
            if (done(probe.Checks) || attempt == 100) return probe;
            await Task.Delay(300, Ct);
        }
    }

    private static async Task Sql(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
