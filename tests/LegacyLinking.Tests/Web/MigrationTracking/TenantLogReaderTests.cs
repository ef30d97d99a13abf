using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>
/// The app and a tenant with test controls and a second application ("Mobile app"); the app reads the tenant's log
/// once at start and then only when a test asks (the poll interval is a day).
/// </summary>
public sealed class TenantLogReaderStack : AppStackFixture
{
    public const string MobileClientId = "mobile-app";

    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings =>
    [
        new("LocalTenant:TestControls", "true"),
        new("LocalTenant:Clients:1:ClientId", MobileClientId),
        new("LocalTenant:Clients:1:ClientSecret", ClientSecret),
        new("LocalTenant:Clients:1:Name", "Mobile app"),
        new("LocalTenant:Clients:1:RedirectUris:0", RedirectUri),
        new("LocalTenant:Clients:1:GrantTypes:0", "authorization_code"),
    ];

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
    [
        new("Migration:DepnotePollSeconds", "86400"),
        new("Migration:DepnoteMaxCallsPerMinute", "600"),
    ];

    public TestControlsClient Controls => new(CreateClient());

    public TenantApi Api => new(CreateClient(), new Uri(Url));

    public DeprecationNoticeIngestor Reader => App.Services.GetRequiredService<DeprecationNoticeIngestor>();

    public Task<AppDbContext> DatabaseAsync() =>
        App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
}

/// <summary>
/// The depnote reader against the real tenant: a starting point, then checkpoints along the <c>Link</c> header; types
/// filtered by the app; depnotes classified by their text and broken down per application; a bounded share of the rate
/// limit; its state kept in the database.
/// </summary>
public sealed class TenantLogReaderTests(TenantLogReaderStack stack) : IClassFixture<TenantLogReaderStack>, IAsyncLifetime
{
    private const string IdTokenText = "Using an ID token to call the Management API v2 is deprecated. Use an access token for the audience /api/v2/ instead.";
    private const string LockText = "Legacy Lock API: This feature is being deprecated. Please refer to our documentation to learn how to migrate your application.";

    /// <summary>Every test starts with a reader that never ran (its start-up round done and forgotten) and open depnote windows.</summary>
    public async ValueTask InitializeAsync()
    {
        await using var db = await stack.DatabaseAsync();
        for (var i = 0; i < 600 && !await db.TenantLogReader.AnyAsync(s => s.LastSuccessAt != null || s.LastErrorAt != null); i++)
            await Task.Delay(100);
        await db.TenantLogReader.ExecuteDeleteAsync();
        await db.TenantLogEvents.ExecuteDeleteAsync();
        await stack.Controls.ResetAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Depnotes_from_several_applications_become_the_per_application_table()
    {
        await ReadUntilCaughtUpAsync(); // the starting point: nothing before it is read by checkpoint
        await ForgetDepnotesAsync();    // what the look-back found from other tests
        var web = await new TenantBearers(stack).SignInAsync(Seeded.AdaGithub);
        var mobile = await new TenantBearers(stack).SignInAsync(Seeded.AdaGithub, clientId: TenantLogReaderStack.MobileClientId);
        await UseIdTokenBearerAsync(web);                      // noted for the web app
        await UseIdTokenBearerAsync(mobile);                   // same hour: not noted
        await stack.Controls.ResetAsync();                     // the next hour
        await UseIdTokenBearerAsync(mobile);                   // noted for the mobile app
        await stack.Controls.ResetAsync();
        await UseIdTokenBearerAsync(web);                      // noted for the web app again
        await stack.Controls.WriteLogEventAsync("depnote", LockText, TenantLogReaderStack.MobileClientId);

        var round = await ReadUntilCaughtUpAsync();
        Assert.True(round.EventsRead > round.DepnotesStored, "the reader reads every event and keeps the depnotes");
        Assert.Equal(4, round.DepnotesStored);

        var usage = await UsageAsync();
        Assert.Collection(usage,
            u => Assert.Equal(("enable_idtoken_api2", LocalTenantFixture.ClientId, "LegacyLinking", 2L), (u.Feature, u.ClientId, u.ClientName, u.Notices)),
            u => Assert.Equal(("enable_idtoken_api2", TenantLogReaderStack.MobileClientId, "Mobile app", 1L), (u.Feature, u.ClientId, u.ClientName, u.Notices)),
            u => Assert.Equal((DeprecationFeatures.Unrecognised, LockText, TenantLogReaderStack.MobileClientId), (u.Feature, u.Description, u.ClientId)));
        Assert.True(usage[0].FirstSeen < usage[0].LastSeen);

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (response, page) = await qa.GetPageAsync("/Migration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll("[data-test='deprecation-usage-row']");
        Assert.Equal(
            [("enable_idtoken_api2", LocalTenantFixture.ClientId), ("enable_idtoken_api2", TenantLogReaderStack.MobileClientId), (DeprecationFeatures.Unrecognised, TenantLogReaderStack.MobileClientId)],
            rows.Select(r => (r.GetAttribute("data-feature"), r.GetAttribute("data-client"))));
        Assert.Contains("Mobile app", rows[1].TextContent);
        Assert.Equal(LockText, page.QuerySelector("[data-test='deprecation-usage-text']")?.TextContent);
        Assert.Null(page.QuerySelector("[data-test='depnote-reader-stale']"));
        Assert.Equal("none", page.QuerySelector("[data-test='depnote-reader-error']")?.TextContent);
    }

    [Fact]
    public async Task The_reader_follows_the_Link_header_by_checkpoint_and_a_restart_resumes_where_it_stopped()
    {
        await ReadUntilCaughtUpAsync();
        var anchor = (await StateAsync()).Checkpoint!;
        await stack.Controls.ResetAsync(); // an empty call log
        await WriteEventsAsync(230);

        var round = await RoundAsync();
        Assert.Equal((3, true), (round.Calls, round.CaughtUp));
        Assert.True(round.EventsRead >= 230);
        var reads = (await stack.Controls.CallsAsync("/api/v2/logs")).Select(c => c.GetProperty("query").GetString()!).ToList();
        Assert.Equal(3, reads.Count);
        Assert.All(reads, q => Assert.DoesNotContain("q=", q));
        var froms = reads.Select(q => System.Web.HttpUtility.ParseQueryString(q)["from"]).ToList();
        Assert.Equal(anchor, froms[0]);
        Assert.True(string.CompareOrdinal(froms[1], froms[0]) > 0 && string.CompareOrdinal(froms[2], froms[1]) > 0);

        // Another instance on the same database carries on from the saved next link in its start-up round.
        var saved = (await StateAsync()).Checkpoint;
        await stack.Controls.ResetAsync();
        await WriteEventsAsync(1);
        await using var second = await stack.StartSecondInstanceAsync();
        for (var i = 0; i < 600 && (await stack.Controls.CallsAsync("/api/v2/logs")).Count == 0; i++) await Task.Delay(100);
        var resumed = (await stack.Controls.CallsAsync("/api/v2/logs"))[0].GetProperty("query").GetString()!;
        Assert.Equal(saved, System.Web.HttpUtility.ParseQueryString(resumed)["from"]);
    }

    [Fact]
    public async Task The_first_run_looks_back_for_depnotes_by_search_then_reads_by_checkpoint()
    {
        var web = await new TenantBearers(stack).SignInAsync(Seeded.AdaGithub);
        await UseIdTokenBearerAsync(web); // before the reader's first run
        await stack.Controls.ResetAsync();

        var round = await ReadUntilCaughtUpAsync();
        Assert.True(round.DepnotesStored >= 1);
        var calls = (await stack.Controls.CallsAsync("/api/v2/logs")).Select(c => c.GetProperty("query").GetString()!).ToList();
        Assert.Equal(4, calls.Count);
        Assert.Contains("sort=date%3A-1", calls[0]);                  // the starting point: the newest event
        Assert.Contains("sort=date%3A1", calls[1]);                   // how far back the tenant keeps its log
        Assert.Contains("q=type%3Adepnote%20AND%20date%3A%5B", calls[2]); // the look-back, by search
        Assert.Contains("from=", calls[3]);                            // then by checkpoint
        var state = await StateAsync();
        Assert.Equal(await OldestEventAsync(), state.LogKeptFrom);
        var lookback = LegacyLinking.Web.MigrationTracking.RollupWriter.Hour(state.StartedAt!.Value.AddDays(-14));
        Assert.Equal(state.LogKeptFrom > lookback ? state.LogKeptFrom : lookback, state.CoveredFrom);
        Assert.Contains(await UsageAsync(), u => (u.Feature, u.ClientId) == ("enable_idtoken_api2", LocalTenantFixture.ClientId)
            && u.LastSeen >= DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Readiness_waits_for_a_read_of_the_whole_window_which_reaches_no_further_back_than_the_tenants_log()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        async Task<(string? Class, string Text)> ReaderLineAsync()
        {
            var (_, page) = await qa.GetPageAsync("/Migration");
            var line = page.QuerySelector("[data-test='readiness-reader']")!;
            return (line.GetAttribute("class"), line.TextContent);
        }

        // Never read (this test's start): not known.
        var never = await ReaderLineAsync();
        Assert.Contains("status-error", never.Class);
        Assert.Contains("are not known for the whole window (the tenant's log has not been read yet)", never.Text);

        // This tenant began its log minutes ago (no test writes an older event before this one does): a look-back of
        // 14 days finds nothing older, as on a plan that keeps logs for fewer days, and the figures start there.
        await ReadUntilCaughtUpAsync();
        var state = await StateAsync();
        Assert.True(state.LogKeptFrom > DateTime.UtcNow.AddDays(-1), "a new tenant's log");
        Assert.Equal(state.LogKeptFrom, state.CoveredFrom);
        var young = await ReaderLineAsync();
        Assert.Contains("status-error", young.Class);
        Assert.Contains($"(the tenant's log goes back only to {state.LogKeptFrom:yyyy-MM-dd HH:mm} UTC)", young.Text);

        // A log that reaches back 20 days: a first run's look-back covers the whole window, from its first hour.
        await stack.Controls.WriteLogEventAsync("slo", "Successful logout", date: DateTimeOffset.UtcNow.AddDays(-20));
        await using (var db = await stack.DatabaseAsync()) await db.TenantLogReader.ExecuteDeleteAsync();
        await ReadUntilCaughtUpAsync();
        state = await StateAsync();
        Assert.True(state.LogKeptFrom < DateTime.UtcNow.AddDays(-19));
        Assert.Equal(LegacyLinking.Web.MigrationTracking.RollupWriter.Hour(state.StartedAt!.Value.AddDays(-14)), state.CoveredFrom);
        var known = await ReaderLineAsync();
        Assert.Contains("status-ok", known.Class);
        Assert.StartsWith("Tenant depnotes are known for the whole window", known.Text.Trim());
    }

    [Fact]
    public async Task The_reader_leaves_half_of_the_tenants_bucket_to_the_users()
    {
        await ReadUntilCaughtUpAsync();
        await WriteEventsAsync(450); // five pages behind
        await stack.Controls.SetRateLimitAsync(new { enabled = true, burstSize = 4, tokensPerSecond = 0.01 });
        try
        {
            var round = await RoundAsync();
            Assert.Equal((2, false), (round.Calls, round.CaughtUp));
            var state = await StateAsync();
            Assert.Null(state.LastError);
            // The users' share is still there.
            (await stack.Api.GetAsync(TenantApi.UserPath(Seeded.Qa), await TenantTokens.ClientCredentialsAsync(stack))).IsSuccess();
            (await stack.Api.GetAsync(TenantApi.UserPath(Seeded.Qa), await TenantTokens.ClientCredentialsAsync(stack))).IsSuccess();
            Assert.Equal(0, (await stack.Reader.ReadOnceAsync(TestContext.Current.CancellationToken)).Calls);
        }
        finally
        {
            await stack.Controls.ResetAsync();
            // The tenant's bucket is full again: tell the reader, which would otherwise wait for the reset it saw.
            stack.App.Services.GetRequiredService<TenantLogBudget>().Observe(new LegacyLinking.Web.Auth0.RateLimit { Limit = 4, Remaining = 4 });
        }
    }

    [Fact]
    public async Task A_failed_read_is_recorded_and_shown_and_the_next_round_recovers()
    {
        await ReadUntilCaughtUpAsync();
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/logs", status = 503, count = 1 });
        var failed = await RoundAsync();
        Assert.False(failed.CaughtUp);
        var state = await StateAsync();
        Assert.StartsWith("the tenant answered 503", state.LastError);

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, page) = await qa.GetPageAsync("/Migration");
        Assert.StartsWith("the tenant answered 503", page.QuerySelector("[data-test='depnote-reader-error']")?.TextContent);

        Assert.True((await RoundAsync()).CaughtUp);
        Assert.Null((await StateAsync()).LastError);
    }

    [Fact]
    public async Task A_next_link_off_the_tenants_log_route_is_refused_without_sending_the_bearer()
    {
        await ReadUntilCaughtUpAsync();
        var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        try
        {
            var port = ((IPEndPoint)elsewhere.LocalEndpoint).Port;
            await using (var db = await stack.DatabaseAsync())
            {
                var state = await db.TenantLogReader.SingleAsync();
                state.NextLink = $"http://127.0.0.1:{port}/api/v2/logs?from=1&take=100";
                await db.SaveChangesAsync();
            }
            var round = await RoundAsync();
            Assert.False(round.CaughtUp);
            Assert.Contains("not on its log route", (await StateAsync()).LastError);
            Assert.False(elsewhere.Pending());
        }
        finally
        {
            elsewhere.Stop();
        }
    }

    [Fact]
    public async Task Its_share_of_the_rate_limit_is_a_setting_spent_at_most_per_minute()
    {
        var folder = Directory.CreateTempSubdirectory("ll-reader-").FullName;
        var settings = TestApp.PointedAt(new Uri(stack.Url));
        settings["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(folder, "app.db")}";
        settings["Migration:DepnotePollSeconds"] = "86400";
        settings["Migration:DepnoteMaxCallsPerMinute"] = "1";
        await using var app = await TestApp.StartAsync(FreePort.Next(), settings);
        var databases = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        TenantLogReaderState? state = null;
        for (var i = 0; i < 600 && state?.LastSuccessAt is null && state?.LastErrorAt is null; i++)
        {
            await Task.Delay(100);
            await using var db = await databases.CreateDbContextAsync();
            state = await db.TenantLogReader.AsNoTracking().SingleOrDefaultAsync();
        }
        // The start-up round spent the one call of this minute on the starting point; the look-back waits.
        Assert.Equal((1, false), (state!.Calls, state.CaughtUp));
        var round = await app.Services.GetRequiredService<DeprecationNoticeIngestor>().ReadOnceAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0, false), (round.Calls, round.CaughtUp));
    }

    /// <summary>
    /// One round with the reader's own share full again (a round straight after another finds it spent on a quick
    /// machine and makes fewer calls or none; the class's share, 600 a minute, refills its burst of 10 within a
    /// second). Not for a round that must find the tenant's reserve: that wait lasts until its reset.
    /// </summary>
    private async Task<LogReadRound> RoundAsync()
    {
        var budget = stack.App.Services.GetRequiredService<TenantLogBudget>();
        await Task.Delay(budget.UntilNext() + TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        return await stack.Reader.ReadOnceAsync(TestContext.Current.CancellationToken);
    }

    private async Task<(int EventsRead, int DepnotesStored)> ReadUntilCaughtUpAsync()
    {
        var (events, depnotes) = (0, 0);
        var budget = stack.App.Services.GetRequiredService<TenantLogBudget>();
        var rounds = new List<LogReadRound>();
        for (var i = 0; i < 20; i++)
        {
            var round = await stack.Reader.ReadOnceAsync(TestContext.Current.CancellationToken);
            rounds.Add(round);
            events += round.EventsRead;
            depnotes += round.DepnotesStored;
            if (round.CaughtUp) return (events, depnotes);
            // As the background service does: the next round when the budget allows another call (on a quick machine
            // back-to-back rounds find the reader's share spent and make no call at all).
            await Task.Delay(budget.UntilNext() + TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        }
        throw new InvalidOperationException($"The reader did not catch up: {(await StateAsync()).LastError}; rounds: {string.Join("; ", rounds)}");
    }

    private async Task ForgetDepnotesAsync()
    {
        await using var db = await stack.DatabaseAsync();
        await db.TenantLogEvents.ExecuteDeleteAsync();
    }

    private async Task UseIdTokenBearerAsync(UserTokens user) =>
        (await stack.Api.GetAsync(TenantApi.UserPath(user.Sub), user.IdToken)).IsSuccess();

    /// <summary><paramref name="count"/> tenant log events (<c>sapi</c>), none a depnote.</summary>
    private async Task WriteEventsAsync(int count)
    {
        var server = await TenantTokens.ClientCredentialsAsync(stack);
        for (var i = 0; i < count; i++)
            (await stack.Api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { reader = i } })).IsSuccess();
    }

    /// <summary>The date of the oldest event the tenant keeps, asked of the tenant itself.</summary>
    private async Task<DateTime> OldestEventAsync()
    {
        var response = await stack.Api.GetAsync("logs?sort=date:1&per_page=1", await TenantTokens.ClientCredentialsAsync(stack));
        response.IsSuccess();
        return response.Json[0].GetProperty("date").GetDateTime().ToUniversalTime();
    }

        private async Task<TenantLogReaderState> StateAsync()
    {
        await using var db = await stack.DatabaseAsync();
        return await db.TenantLogReader.AsNoTracking().SingleAsync();
    }

    private async Task<IReadOnlyList<ApplicationUsage>> UsageAsync()
    {
        await using var scope = stack.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeprecationUsage>().ByApplicationAsync(TestContext.Current.CancellationToken);
    }
}
