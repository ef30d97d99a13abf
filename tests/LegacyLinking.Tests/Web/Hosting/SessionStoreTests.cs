using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>An app whose sessions live in its database.</summary>
public sealed class SessionsInTheDatabase : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Sessions:Store", "Database")];
}

/// <summary>With <c>Sessions:Store=Database</c>: sessions survive a restart and every instance on that database sees them.</summary>
public sealed class SessionStoreTests(SessionsInTheDatabase stack) : IClassFixture<SessionsInTheDatabase>
{
    [Fact]
    public async Task A_session_survives_a_restart_of_the_app()
    {
        var ct = TestContext.Current.CancellationToken;
        var cookies = new CookieContainer();
        await using (var before = await stack.StartSecondInstanceAsync())
        {
            var john = new AppBrowser(before.Url, stack, cookies);
            await john.SignInAsJohnAsync();
            Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", ct)).StatusCode);
        }

        await using var after = await stack.StartSecondInstanceAsync();
        var again = new AppBrowser(after.Url, stack, cookies);
        var (response, page) = await again.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
    }

    [Fact]
    public async Task Instances_on_one_database_share_sessions_and_end_them_together()
    {
        var ct = TestContext.Current.CancellationToken;
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await using var second = await stack.StartSecondInstanceAsync();
        var laptop = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var phoneOnSecond = new AppBrowser(second.Url, stack, phone.Cookies);
        Assert.Equal(HttpStatusCode.OK, (await phoneOnSecond.Http.GetAsync("/Profile", ct)).StatusCode);

        Assert.StartsWith("Your Phone account is linked", (await laptop.LinkSmsAsync()).Status); // on the first instance
        Assert.Equal(HttpStatusCode.Redirect, (await phoneOnSecond.Http.GetAsync("/Profile", ct)).StatusCode);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
    }

    [Fact]
    public async Task A_signed_in_request_without_session_state_writes_no_state_row()
    {
        var ct = TestContext.Current.CancellationToken;
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        Assert.DoesNotContain(john.Cookies.GetAllCookies(), c => c.Name == "ll_app_state" && !c.Expired);
        var before = await StateRowsAsync(ct);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/", ct)).StatusCode);

        Assert.Equal(before, await StateRowsAsync(ct));
        Assert.DoesNotContain(john.Cookies.GetAllCookies(), c => c.Name == "ll_app_state" && !c.Expired);
    }

    /// <summary>Session state rows: keyed by the bare state id, where tickets and the other entries carry a prefix.</summary>
    private async Task<long> StateRowsAsync(CancellationToken ct)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(stack.DataDirectory, "app.db")};Mode=ReadOnly");
        await db.OpenAsync(ct);
        await using var count = db.CreateCommand();
        count.CommandText = """SELECT count(*) FROM "cache_entries" WHERE instr("Key", ':') = 0""";
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    [Fact]
    public async Task By_default_sessions_live_in_memory_and_end_with_the_instance()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(TestApp.PointedAt(new Uri(stack.Url)))
        {
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(stack.DataDirectory, "memory-sessions.db")}",
        };
        var cookies = new CookieContainer();
        await using (var before = await TestApp.StartAsync(stack.SecondAppPort, settings))
        {
            await new AppBrowser(before.Url, stack, cookies).SignInAsJohnAsync();
        }
        await using var after = await TestApp.StartAsync(stack.SecondAppPort, settings);
        var response = await new AppBrowser(after.Url, stack, cookies).Http.GetAsync("/Profile", ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_session_store_stops_the_start_naming_its_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?> { ["Sessions:Store"] = "Redis" }));
        Assert.Contains("'Sessions:Store'", error.ToString());
    }
}
