using System.Data.Common;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.Health;
using LegacyLinking.Tests.Web.Outages;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>
/// The real app as a process, stopped the ways servers are stopped, under load: SIGTERM while its database is locked or
/// down loses nothing (the journal keeps what the database cannot take, and the next start writes it); SIGKILL is found
/// at the next start and the migration page shows the gap with its times; a deleted SQLite file is noticed.
/// </summary>
public sealed class RecordJournalTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("ll-process-").FullName;

    private string DatabasePath => Path.Combine(_folder, "app.db");
    private string JournalPath => Path.Combine(_folder, "journal");

    private Dictionary<string, string?> SqliteSettings => new(TestApp.PointedAt(new Uri(stack.Url)))
    {
        ["ConnectionStrings:LegacyLinking"] = $"Data Source={DatabasePath}",
        ["Migration:JournalPath"] = JournalPath,
        ["Migration:DepnotePollSeconds"] = "0",
    };

    private Task<AppProcess> StartAsync(Dictionary<string, string?> settings, string run) =>
        AppProcess.StartAsync(stack.SecondAppPort, settings, Path.Combine(_folder, $"{run}.log"));

    private async Task<AppBrowser> SignInAsync(AppProcess app, bool qa = false)
    {
        var browser = new AppBrowser(app.Url, stack, new CookieContainer());
        var response = qa ? await browser.SignInAsQaAsync() : await browser.SignInAsJohnAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return browser;
    }

    [Fact]
    public async Task SIGTERM_while_SQLite_is_locked_loses_no_record()
    {
        var settings = SqliteSettings;
        await using var other = new SqliteConnection($"Data Source={DatabasePath}");
        IReadOnlyList<DateTime> answered;
        await using (var app = await StartAsync(settings, "before"))
        {
            answered = await TerminateUnderLoadAsync(app, async () =>
            {
                await other.OpenAsync(Ct);
                await Sql(other, "BEGIN EXCLUSIVE");
            });
        }
        Assert.NotEmpty(Directory.GetFiles(JournalPath, "spill-*.jsonl")); // the database could not take them: the journal did
        await Sql(other, "ROLLBACK"); // the lock ends (closing alone would keep it in the connection pool)

        await using var again = await StartAsync(settings, "after");
        var stored = await DatabaseOutageTests.PollAsync(() => CountAsync(SqliteFile()), n => n >= answered.Count);
        Assert.InRange(stored, answered.Count, answered.Count + 4); // 4: views the app answered as it stopped
        Assert.Empty(Directory.GetFiles(JournalPath, "spill-*.jsonl"));
        Assert.DoesNotContain(await GapsAsync(SqliteFile()), g => g.Kind == "unclean-stop");
    }

    [Fact]
    public async Task SIGTERM_while_PostgreSQL_is_down_loses_no_record()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var connectionString = await cluster.CreateDatabaseAsync("sigterm");
        var settings = new Dictionary<string, string?>(SqliteSettings)
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:LegacyLinking"] = connectionString,
        };
        IReadOnlyList<DateTime> answered;
        await using (var app = await StartAsync(settings, "before"))
            answered = await TerminateUnderLoadAsync(app, () => cluster.StopAsync(Ct));

        await cluster.StartAgainAsync(Ct);
        await using var again = await StartAsync(settings, "after");
        var stored = await DatabaseOutageTests.PollAsync(() => CountAsync(new NpgsqlConnection(connectionString)), n => n >= answered.Count);
        Assert.InRange(stored, answered.Count, answered.Count + 4);
        Assert.DoesNotContain(await GapsAsync(new NpgsqlConnection(connectionString)), g => g.Kind == "unclean-stop");
    }

    /// <summary>
    /// Profile views under load; the database is taken away, and SIGTERM follows while it is gone. Answers when each
    /// view the app answered came back: each is a record the database must hold in the end.
    /// </summary>
    private async Task<IReadOnlyList<DateTime>> TerminateUnderLoadAsync(AppProcess app, Func<Task> takeTheDatabaseAway)
    {
        var load = ProfileLoad.Start(await SignInAsync(app));
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        await takeTheDatabaseAway();
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await app.TerminateAsync();
        await load.StopAsync();
        Assert.Equal(0, app.ExitCode);
        Assert.NotEmpty(load.Completed);
        Assert.DoesNotContain(load.Failed, status => status >= 500);
        return load.Completed;
    }

    [Fact]
    public async Task SIGKILL_is_found_at_the_next_start_and_the_migration_page_shows_the_gap()
    {
        var settings = SqliteSettings;
        var app = await StartAsync(settings, "before");
        var load = ProfileLoad.Start(await SignInAsync(app));
        await Task.Delay(TimeSpan.FromSeconds(9), Ct);
        await app.KillAsync();
        var killedAt = DateTime.UtcNow;
        await load.StopAsync();
        await app.DisposeAsync();

        await using var again = await StartAsync(settings, "after");
        var qa = await SignInAsync(again, qa: true);
        var (response, page) = await qa.GetPageAsync("/Migration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var gap = page.QuerySelectorAll("[data-test='record-gap']").Single(g => g.GetAttribute("data-kind") == "unclean-stop");
        var from = DateTime.Parse(gap.GetAttribute("data-from")!, null, System.Globalization.DateTimeStyles.RoundtripKind);
        var to = DateTime.Parse(gap.GetAttribute("data-to")!, null, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.Contains("may be missing: the app", gap.TextContent);
        Assert.Equal("1", page.QuerySelector("[data-test='unclean-stops']")?.TextContent);

        // Every view was answered before the gap ends, which is soon after the kill; the gap starts a few seconds before
        // it (the writer's linger, a write, the heartbeat and two after it: about 3 s, 6 s seen on a machine loaded 15-fold),
        // not at the start; and every view answered before it began is stored: whatever is lost lies within the gap.
        Assert.DoesNotContain(load.Completed, at => at > to);
        Assert.True(to <= killedAt.AddSeconds(2.5), $"the gap ends {to - killedAt} after the kill");
        Assert.InRange(to - from, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        var answeredBefore = load.Completed.Count(at => at < from);
        Assert.True(await CountAsync(SqliteFile(), before: from) >= answeredBefore, "a view answered before the gap was not stored");
    }

    [Fact]
    public async Task A_deleted_database_file_is_noticed_and_the_records_after_it_are_kept()
    {
        var settings = SqliteSettings;
        await using (var app = await StartAsync(settings, "before"))
        {
            var john = await SignInAsync(app);
            var qa = await SignInAsync(app, qa: true);
            Assert.Equal(HttpStatusCode.OK, (await qa.GetPageAsync("/Migration")).Response.StatusCode);
            foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" }) File.Delete(file);
            var load = ProfileLoad.Start(john, workers: 2);
            await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
            await load.StopAsync();
            var (gone, page) = await qa.GetPageAsync("/Migration");
            await DatabaseOutageTests.AssertOutagePageAsync(gone, qaDetail: true);
            Assert.Contains("app.db is gone", page.QuerySelector("[data-test='outage-detail']")?.TextContent);
            Assert.False(File.Exists(DatabasePath)); // not created again, empty, behind the app's back
            var (ready, checks) = await HealthCheckTests.ProbeAsync(app.Url, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("database file is gone", checks.GetProperty("database").GetProperty("description").GetString());
            await app.TerminateAsync();
            Assert.Equal(0, app.ExitCode);

            await using var again = await StartAsync(settings, "after");
            var stored = await DatabaseOutageTests.PollAsync(() => CountAsync(SqliteFile()), n => n >= load.Completed.Count);
            // At most the views the load made, and the two sign-ins' own profile views when the writer still held them as
            // the file went (they then reach the new file with the rest).
            Assert.InRange(stored, load.Completed.Count, load.Completed.Count + load.Unanswered + load.Failed.Count + 2);
            var qaAgain = await SignInAsync(again, qa: true);
            var (_, after) = await qaAgain.GetPageAsync("/Migration");
            var vanished = after.QuerySelectorAll("[data-test='record-gap']").Single(g => g.GetAttribute("data-kind") == "file-vanished");
            Assert.Contains("The database file was deleted at about", vanished.TextContent);
        }
    }

    private SqliteConnection SqliteFile() => new($"Data Source={DatabasePath};Mode=ReadOnly");

    private static Task<long> CountAsync(DbConnection connection, DateTime? before = null) => RecordDatabase.CountViewsAsync(connection, before, Ct);

    private static Task<List<(string Kind, DateTime From, DateTime To)>> GapsAsync(DbConnection connection) => RecordDatabase.GapsAsync(connection, Ct);

    private static async Task Sql(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
