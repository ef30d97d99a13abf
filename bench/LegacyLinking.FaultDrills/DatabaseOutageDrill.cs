using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.Outages;

namespace LegacyLinking.FaultDrills;

/// <summary>
/// PostgreSQL stopped for 20 s under a steady load of profile views, refused unlinks, QA console views and migration
/// page views: every answer counted by phase (before, during, after), sessions in memory and then in the database.
/// </summary>
public static class DatabaseOutageDrill
{
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Report report)
    {
        await using (var memory = new AppOnItsOwnPostgres())
            await RunAsync(report, memory, "sessions in memory");
        await using (var database = new AppOnItsOwnPostgresWithSessionsThere())
            await RunAsync(report, database, "sessions in the database");
    }

    private static async Task RunAsync(Report report, AppOnItsOwnPostgres stack, string sessions)
    {
        await stack.InitializeAsync();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();

        var answers = new ConcurrentBag<(string Phase, string Page, int Status)>();
        var phase = "before";
        using var stop = new CancellationTokenSource();
        async Task Load(string page, Func<Task<HttpStatusCode>> request)
        {
            while (!stop.IsCancellationRequested)
            {
                var now = phase;
                try
                {
                    answers.Add((now, page, (int)await request()));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers.Add((now, page, 0)); // no answer at all
                }
            }
        }
        async Task<HttpStatusCode> Get(AppBrowser browser, string path)
        {
            using var response = await browser.Http.GetAsync(path);
            return response.StatusCode;
        }
        // The profile's unlink form, posted for the primary identity (refused, so it can be repeated); a profile page
        // without the form (an outage page) counts with its own status.
        async Task<HttpStatusCode> Unlink(AppBrowser browser)
        {
            try
            {
                return (await browser.PostUnlinkAsync("google-oauth2", "115015401343387192604")).Response.StatusCode;
            }
            catch (InvalidOperationException)
            {
                return await Get(browser, "/Profile");
            }
        }
        var load = new[]
        {
            Load("/Profile", () => Get(john, "/Profile")),
            Load("/Profile", () => Get(john, "/Profile")),
            Load("unlink (refused)", () => Unlink(john)),
            Load("/Qa/Flags", () => Get(qa, "/Qa/Flags")),
            Load("/Migration", () => Get(qa, "/Migration")),
        };
        await Task.Delay(Before);
        await stack.Cluster.StopAsync();
        phase = "during";
        await Task.Delay(Outage);
        await stack.Cluster.StartAgainAsync();
        var back = Stopwatch.StartNew();
        phase = "after";
        TimeSpan? recovered = null;
        while (back.Elapsed < After)
        {
            if (recovered is null && await Get(qa, "/Migration") == HttpStatusCode.OK) recovered = back.Elapsed;
            await Task.Delay(100);
        }
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = answers.ToList();
        int Count(string when, Func<(string Phase, string Page, int Status), bool> match) => all.Count(a => a.Phase == when && match(a));
        report.Row($"Server errors other than 503 during a 20 s PostgreSQL outage ({sessions})",
            $"**{Count("during", a => a.Status >= 500 && a.Status != 503) + Count("during", a => a.Status == 0)}** of {Count("during", _ => true)} answers",
            $"before: {Count("before", a => a.Status >= 500 && a.Status != 503)} of {Count("before", _ => true)}; after: {Count("after", a => a.Status >= 500 && a.Status != 503)} of {Count("after", _ => true)}",
            "0");
        foreach (var page in all.Select(a => a.Page).Distinct().Order())
        {
            var during = all.Where(a => a.Phase == "during" && a.Page == page).ToList();
            var before = all.Where(a => a.Phase == "before" && a.Page == page).ToList();
            var statuses = string.Join(", ", during.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}"));
            report.Row($"{page} during the outage ({sessions})", statuses,
                $"answers per second during ÷ before: {Report.Ratio(during.Count / Outage.TotalSeconds / Math.Max(before.Count / Before.TotalSeconds, 1e-9))}");
        }
        report.Row($"Migration page answers again after PostgreSQL is back ({sessions})", recovered is { } r ? Report.Seconds(r) : $"not within {Report.Seconds(After)}", "", "by itself");
    }
}
