using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.Health;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Outages;

/// <summary>The app on a PostgreSQL cluster of its own, which a test may stop and start (the shared one must keep running).</summary>
public class AppOnItsOwnPostgres : AppStackFixture
{
    public PostgresCluster Cluster { get; private set; } = null!;
    private string _connectionString = "";

    protected virtual string SessionStore => "Memory";

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
    [
        new("Database:Provider", "Postgres"),
        new("ConnectionStrings:LegacyLinking", _connectionString),
        new("Sessions:Store", SessionStore),
    ];

    public override async ValueTask InitializeAsync()
    {
        Cluster = await PostgresCluster.StartAsync();
        _connectionString = await Cluster.CreateDatabaseAsync("outage");
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

public sealed class AppOnItsOwnPostgresWithSessionsThere : AppOnItsOwnPostgres
{
    protected override string SessionStore => "Database";
}

/// <summary>
/// PostgreSQL stopped under the running app, then started again: pages that need no database keep working, flags keep
/// the last overrides read, records wait, what needs the database answers 503 with Retry-After (never 500), and
/// everything comes back by itself.
/// </summary>
public sealed class DatabaseOutageTests(AppOnItsOwnPostgres stack) : IClassFixture<AppOnItsOwnPostgres>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_database_is_down_the_profile_works_flags_keep_their_overrides_and_the_rest_answers_503()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(FlagNames.UnlinkFlow, UnlinkFlows.ServerToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Cluster.StopAsync(Ct);
        var stoppedAt = DateTime.UtcNow;
        // Past the overrides' freshness, so the next page tries to read them again.
        await Task.Delay(GlobalFlagOverrides.MaxStaleness + TimeSpan.FromMilliseconds(100), Ct);
        try
        {
            var (profile, page) = await john.GetPageAsync("/Profile");
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);

            var refused = await john.PostUnlinkAsync("google-oauth2", "115015401343387192604"); // recorded while the database is down
            Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
            Assert.StartsWith("Error: This is the account you sign in with", refused.Status);
            Assert.Equal("ServerToken", refused.Flow); // not the configured LegacyIdToken

            var (console, flags) = await qa.GetPageAsync("/Qa/Flags");
            Assert.Equal(HttpStatusCode.OK, console.StatusCode);
            Assert.Equal(UnlinkFlows.ServerToken, flags.QuerySelector("[data-test='effective-UnlinkFlow']")?.TextContent);
            Assert.Contains("has not answered since", flags.QuerySelector("[data-test='overrides-stale']")?.TextContent);
            Assert.NotNull(flags.QuerySelector("[data-test='audit-unavailable']"));

            var write = await qa.ConfirmGlobalAsync(await qa.ClickAsync(flags, "/Qa/Flags", "apply-global-MergeMetadata", form => form.Set("value", OnOff.Off)));
            await AssertOutagePageAsync(write, qaDetail: true);
            await AssertOutagePageAsync(await qa.Http.GetAsync("/Migration", Ct), qaDetail: true);
            await AssertOutagePageAsync(await qa.Http.GetAsync("/Migration?handler=Export&format=csv", Ct), qaDetail: true);

            var (ready, checks) = await HealthCheckTests.ProbeAsync(stack.App.Url, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await HealthCheckTests.ProbeAsync(stack.App.Url, "/health/live")).Response.StatusCode);
        }
        finally
        {
            await stack.Cluster.StartAgainAsync(Ct);
        }

        // Back by itself: the migration page, fresh overrides, and the record made during the outage.
        var migration = await PollAsync(() => qa.Http.GetAsync("/Migration", Ct), r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, migration.StatusCode);
        var events = await stack.EventsAsync(e => e.At >= stoppedAt && e is { Operation: "unlink", Outcome: "refused" } && e.UserId == Seeded.John);
        Assert.Single(events);
        // The overrides are asked again once the last failed check is MaxStaleness old, so the marker clears within it.
        var fresh = await PollPageAsync(qa, "/Qa/Flags", p => p.QuerySelector("[data-test='overrides-stale']") is null);
        Assert.Null(fresh.QuerySelector("[data-test='overrides-stale']"));
        Assert.NotNull(fresh.QuerySelector("[data-test='flag-audit']"));
        var (readyAgain, _) = await HealthCheckTests.PollReadyAsync(stack.App.Url, c => c.GetProperty("database").GetProperty("status").GetString() == "Healthy");
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, readyAgain.StatusCode);
        await qa.SetFlagAsync(FlagNames.UnlinkFlow, UnlinkFlows.LegacyIdToken);
    }

    [Fact]
    public async Task A_cut_made_before_the_database_went_down_still_ends_the_users_other_sessions_during_the_outage()
    {
        var laptop = stack.NewBrowser();
        var phone = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();
        await phone.SignInAsJohnAsync();
        var (_, profile) = await laptop.GetPageAsync("/Profile");
        await laptop.ClickAsync(profile, "/Profile", "nav-logout-everywhere");
        await stack.Cluster.StopAsync(Ct);
        try
        {
            var next = await phone.Http.GetAsync("/Profile", Ct);
            Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
            Assert.EndsWith("/authorize", TestBrowser.RedirectTarget(next)?.AbsolutePath); // a fresh sign-in, not the profile
        }
        finally
        {
            await stack.Cluster.StartAgainAsync(Ct);
        }
    }

    [Fact]
    public async Task Under_load_a_database_outage_answers_no_500()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<(string Path, int Status)>();
        using var stop = new CancellationTokenSource();

        async Task Load(AppBrowser browser, string path)
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await browser.Http.GetAsync(path, Ct);
                statuses.Add((path, (int)response.StatusCode));
            }
        }

        var load = new[] { Load(john, "/Profile"), Load(john, "/Profile"), Load(qa, "/Qa/Flags"), Load(qa, "/Migration") };
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await stack.Cluster.StopAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        await stack.Cluster.StartAgainAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.DoesNotContain(statuses, s => s.Status >= 500 && s.Status != 503);
        Assert.All(statuses.Where(s => s.Path != "/Migration"), s => Assert.Equal(200, s.Status));
        Assert.Contains(statuses, s => s is { Path: "/Migration", Status: 503 });
        Assert.Equal(HttpStatusCode.OK, (await PollAsync(() => qa.Http.GetAsync("/Migration", Ct), r => r.StatusCode == HttpStatusCode.OK)).StatusCode);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> PollPageAsync(AppBrowser browser, string path, Func<AngleSharp.Html.Dom.IHtmlDocument, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var (_, page) = await browser.GetPageAsync(path);
            if (done(page) || DateTime.UtcNow > deadline) return page;
            await Task.Delay(100, Ct);
        }
    }

    internal static async Task AssertOutagePageAsync(HttpResponseMessage response, bool qaDetail = false)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
        var page = HtmlForm.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("database", page.QuerySelector("[data-test='outage']")?.GetAttribute("data-dependency"));
        Assert.NotNull(page.QuerySelector("[data-test='retry']"));
        Assert.Equal(qaDetail, page.QuerySelector("[data-test='outage-detail']") is not null);
    }

    /// <summary>Asks again every 0.3 s until the answer is <paramref name="done"/>, for up to 30 s; answers the last answer.</summary>
    internal static async Task<T> PollAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await ask();
            if (done(answer) || attempt == 100) return answer;
            await Task.Delay(300, Ct);
        }
    }
}

/// <summary>With sessions in the database, a signed-in request needs it: 503 while it is down, the same session after.</summary>
public sealed class DatabaseSessionOutageTests(AppOnItsOwnPostgresWithSessionsThere stack) : IClassFixture<AppOnItsOwnPostgresWithSessionsThere>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_in_request_answers_503_while_the_session_store_is_down_and_the_session_carries_on_after()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Cluster.StopAsync(Ct);
        try
        {
            await DatabaseOutageTests.AssertOutagePageAsync(await john.Http.GetAsync("/Profile", Ct));
        }
        finally
        {
            await stack.Cluster.StartAgainAsync(Ct);
        }
        var after = await DatabaseOutageTests.PollAsync(() => john.Http.GetAsync("/Profile", Ct), r => r.StatusCode != HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
