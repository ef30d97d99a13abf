using System.Net;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LegacyLinking.FaultDrills;

/// <summary>
/// The app as a process under a load of profile views (each records one event), stopped the ways servers are stopped:
/// SIGTERM with PostgreSQL up, and with it down (the events the app answered, against those stored after the next
/// start); SIGKILL (the gap the next start reports, and the answered views outside it that are not stored).
/// </summary>
public static class RecordLossDrill
{
    public static async Task RunAsync(Report report)
    {
        await using var stack = new AppStackFixture();
        await stack.InitializeAsync();
        var folder = Directory.CreateTempSubdirectory("ll-drill-").FullName;
        try
        {
            foreach (var down in new[] { false, true })
            {
                await using var cluster = await PostgresCluster.StartAsync();
                var connectionString = await cluster.CreateDatabaseAsync("sigterm");
                var settings = Settings(stack, Path.Combine(folder, $"journal-pg-{down}"), "Postgres", connectionString);
                int answered;
                await using (var app = await AppProcess.StartAsync(stack.SecondAppPort, settings, Path.Combine(folder, $"pg-{down}.log")))
                {
                    var load = ProfileLoad.Start(await SignInAsync(stack, app));
                    await Task.Delay(TimeSpan.FromSeconds(3));
                    if (down) await cluster.StopAsync();
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    await app.TerminateAsync();
                    await load.StopAsync();
                    answered = load.Completed.Count;
                }
                if (down) await cluster.StartAgainAsync();
                await using (await AppProcess.StartAsync(stack.SecondAppPort, settings, Path.Combine(folder, $"pg-{down}-after.log")))
                {
                    var stored = await WaitForAsync(() => RecordDatabase.CountViewsAsync(new NpgsqlConnection(connectionString)), answered);
                    report.Row($"Profile views lost on SIGTERM, PostgreSQL {(down ? "down for the last 2 s" : "up")}",
                        $"**{Math.Max(0, answered - stored)}** of {answered} answered ({stored} stored)",
                        down ? "beside it, PostgreSQL up: the row above" : "", "0");
                }
            }

            var databasePath = Path.Combine(folder, "app.db");
            var sqlite = Settings(stack, Path.Combine(folder, "journal-kill"), "Sqlite", $"Data Source={databasePath}");
            IReadOnlyList<DateTime> completed;
            DateTime killedAt;
            await using (var app = await AppProcess.StartAsync(stack.SecondAppPort, sqlite, Path.Combine(folder, "kill.log")))
            {
                var load = ProfileLoad.Start(await SignInAsync(stack, app));
                await Task.Delay(TimeSpan.FromSeconds(5));
                await app.KillAsync();
                killedAt = DateTime.UtcNow;
                await load.StopAsync();
                completed = load.Completed;
            }
            await using (await AppProcess.StartAsync(stack.SecondAppPort, sqlite, Path.Combine(folder, "kill-after.log")))
            {
                var file = () => new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
                var gap = (await WaitForGapAsync(file)) ?? throw new InvalidOperationException("No unclean-stop gap after SIGKILL.");
                var storedBefore = await RecordDatabase.CountViewsAsync(file(), gap.From);
                var storedAll = await RecordDatabase.CountViewsAsync(file());
                var answeredBefore = completed.Count(at => at < gap.From);
                var answeredInGap = completed.Count - answeredBefore;
                var lastSecond = completed.Count(at => at >= killedAt.AddSeconds(-1));
                report.Row("Gap shown after SIGKILL",
                    $"**{Report.Seconds(gap.To - gap.From)}**, from {Report.Seconds(killedAt - gap.From)} before the kill to {Report.Seconds(gap.To - killedAt)} after",
                    $"{answeredInGap} answered views fall in it, {Math.Max(0, answeredInGap - (int)(storedAll - storedBefore))} of them not stored; views answered in the last second before the kill: {lastSecond}");
                report.Row("Answered views outside the gap that are not stored (lost without a trace)",
                    $"**{Math.Max(0, answeredBefore - storedBefore) + completed.Count(at => at > gap.To)}** of {answeredBefore + completed.Count(at => at > gap.To)}", "", "0");
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static Dictionary<string, string?> Settings(AppStackFixture stack, string journal, string provider, string connectionString) =>
        new(TestApp.PointedAt(new Uri(stack.Url)))
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:LegacyLinking"] = connectionString,
            ["Migration:JournalPath"] = journal,
            ["Migration:DepnotePollSeconds"] = "0",
        };

    private static async Task<AppBrowser> SignInAsync(AppStackFixture stack, AppProcess app)
    {
        var browser = new AppBrowser(app.Url, stack, new CookieContainer());
        var response = await browser.SignInAsJohnAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}.");
        return browser;
    }

    /// <summary>The stored count once it reaches <paramref name="expected"/>, or what it is after 30 s.</summary>
    private static async Task<int> WaitForAsync(Func<Task<long>> count, int expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = await count();
            if (now >= expected || attempt == 100) return (int)now;
            await Task.Delay(300);
        }
    }

    private static async Task<(string Kind, DateTime From, DateTime To)?> WaitForGapAsync(Func<SqliteConnection> file)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await RecordDatabase.GapsAsync(file())).Where(g => g.Kind == "unclean-stop").ToList() is [var gap, ..]) return gap;
            await Task.Delay(300);
        }
        return null;
    }
}
