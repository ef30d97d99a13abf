using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Npgsql;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>
/// Two instances on one PostgreSQL database serve a session's ticket and cut, and the global overrides, from memory:
/// a change made on one reaches the other through the database's notifications well within a second (the memory copy
/// would otherwise last up to 5 s, the overrides up to 30 s), and while an instance is not listening it reads the
/// database. Sign-ins and links across instances: <see cref="KeyRingTests"/>.
/// </summary>
public sealed class TwoInstanceTests(TwoMachines machines) : IClassFixture<TwoMachines>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_global_override_set_on_one_instance_is_in_force_on_the_other_within_a_second()
    {
        var (onA, onB) = machines.NewBrowser();
        await onA.SignInAsQaAsync();
        var before = await BadgeAsync(onB); // B has read the overrides: from here on it holds them in memory
        var value = before!.StartsWith($"link: {LinkFlows.ServerToken} ", StringComparison.Ordinal) ? LinkFlows.AccessToken : LinkFlows.ServerToken;

        await onA.SetFlagAsync(FlagNames.LinkFlow, value);

        var seenAfter = await WithinAsync(async () => (await BadgeAsync(onB))!.StartsWith($"link: {value} ", StringComparison.Ordinal));
        Assert.True(seenAfter < Within, $"The override reached the other instance after {seenAfter.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task Sign_out_everywhere_on_one_instance_ends_a_session_the_other_instance_holds_in_memory()
    {
        var (laptopOnB, phoneOnA, profile) = await JohnOnTwoDevicesAsync();
        await phoneOnA.ClickAsync(profile, "/Profile", "nav-logout-everywhere");

        var endedAfter = await WithinAsync(laptopOnB.IsSignedOutAsync);
        Assert.True(endedAfter < Within, $"The other instance ended the session after {endedAfter.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task A_cookie_signed_out_on_one_instance_is_refused_by_the_other_at_once()
    {
        var (onA, onB) = machines.NewBrowser();
        await onA.SignInAsJohnAsync();
        Assert.Equal(HttpStatusCode.OK, (await onB.Http.GetAsync("/Profile", Ct)).StatusCode);
        var kept = new CookieContainer();
        kept.Add(onA.Cookies.GetAllCookies()); // a copy of the cookie, as one taken from the browser would be

        var (_, profile) = await onA.GetPageAsync("/Profile");
        await onA.ClickAsync(profile, "/Profile", "logout");

        var replay = new AppBrowser(machines.B.Url, machines, kept);
        var refusedAfter = await WithinAsync(replay.IsSignedOutAsync);
        Assert.True(refusedAfter < Within, $"The other instance still took the signed-out cookie for {refusedAfter.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task With_its_listening_connection_cut_an_instance_still_honours_a_cut_and_listens_again()
    {
        var (laptopOnB, phoneOnA, profile) = await JohnOnTwoDevicesAsync();

        Assert.Equal(2, await CutListenersAsync()); // a database blink, as both instances see it
        await phoneOnA.ClickAsync(profile, "/Profile", "nav-logout-everywhere");
        Assert.True(await laptopOnB.IsSignedOutAsync(), "A cut made while the instances were not listening was missed.");

        var listening = Stopwatch.StartNew();
        while (await ListenersAsync() < 2)
        {
            Assert.True(listening.Elapsed < TimeSpan.FromSeconds(15), "The instances did not listen again.");
            await Task.Delay(100, Ct);
        }
        await A_global_override_set_on_one_instance_is_in_force_on_the_other_within_a_second();
    }

    [Fact]
    public async Task Two_instances_starting_at_once_on_a_database_not_yet_created_both_start()
    {
        // Neither the database nor its tables exist: both instances find it missing, one creates it, they take turns migrating.
        var database = new NpgsqlConnectionStringBuilder(machines.Database) { Database = $"startrace_{Guid.NewGuid():N}" }.ConnectionString;
        var starts = new[] { "race-a", "race-b" }.Select(name => machines.StartMachineAsync(name, FreePort.Next(), database)).ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        catch (InvalidOperationException)
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) await (await start).DisposeAsync();
            Assert.Fail($"An instance did not start.\nrace-a:\n{machines.LogOf("race-a")}\nrace-b:\n{machines.LogOf("race-b")}");
        }
        var started = await Task.WhenAll(starts);
        try
        {
            foreach (var instance in started)
            {
                using var http = new HttpClient { BaseAddress = instance.Url };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", Ct)).StatusCode);
            }
        }
        finally
        {
            foreach (var instance in started) await instance.DisposeAsync();
        }
    }

    /// <summary>John signed in on a laptop (in use on B, which now holds its ticket and John's cut) and a phone (on A, its profile page open).</summary>
    private async Task<(AppBrowser LaptopOnB, AppBrowser PhoneOnA, AngleSharp.Html.Dom.IHtmlDocument PhoneProfile)> JohnOnTwoDevicesAsync()
    {
        var (laptopOnA, laptopOnB) = machines.NewBrowser();
        await laptopOnA.SignInAsJohnAsync();
        var (phoneOnA, _) = machines.NewBrowser();
        await phoneOnA.SignInAsJohnAsync();
        var (_, profile) = await phoneOnA.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.OK, (await laptopOnB.Http.GetAsync("/Profile", Ct)).StatusCode);
        return (laptopOnB, phoneOnA, profile);
    }

    private static async Task<string?> BadgeAsync(AppBrowser qa) =>
        (await qa.GetPageAsync("/Profile")).Page.QuerySelector("[data-test='flow-badge']")?.TextContent;

    /// <summary>How long until <paramref name="holds"/> holds (asked every 50 ms); fails after 10 s.</summary>
    private static async Task<TimeSpan> WithinAsync(Func<Task<bool>> holds)
    {
        var clock = Stopwatch.StartNew();
        while (!await holds())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "It never happened.");
            await Task.Delay(50, Ct);
        }
        return clock.Elapsed;
    }

    private Task<long> ListenersAsync() => ScalarAsync(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'LegacyLinking notifications'");

    private Task<long> CutListenersAsync() => ScalarAsync("""
        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'LegacyLinking notifications'
        """);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(machines.Database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct));
    }
}
