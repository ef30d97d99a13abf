using System.Net;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The whole system on loopback: a real local tenant (its seeded client's callback and logout URLs pointed at the app)
/// and the real app talking to it over HTTP exactly as to https://{domain}, with its own SQLite database.
/// </summary>
public class AppStackFixture : LocalTenantFixture
{
    public int AppPort { get; } = FreePort.Next();
    public string AppUrl => $"http://127.0.0.1:{AppPort}";

    /// <summary>A port registered with the tenant for a second app instance (tests that share the app's database).</summary>
    public int SecondAppPort { get; } = FreePort.Next();
    public TestApp App { get; private set; } = null!;

    /// <summary>Extra app settings (e.g. flag allocation); later keys win.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> AppSettings => [];

    /// <summary>Extra tenant settings on top of the app's callback URLs.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> TenantSettings => [];

    protected sealed override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("LocalTenant:Clients:0:RedirectUris:0", AppUrl + "/callback"),
        new("LocalTenant:Clients:0:RedirectUris:1", AppUrl + "/link/callback"),
        new("LocalTenant:Clients:0:RedirectUris:2", $"http://127.0.0.1:{SecondAppPort}/callback"),
        new("LocalTenant:Clients:0:RedirectUris:3", $"http://127.0.0.1:{SecondAppPort}/link/callback"),
        // Kept for tests that drive /authorize directly with the seed's default callback.
        new("LocalTenant:Clients:0:RedirectUris:4", "http://127.0.0.1:5080/callback"),
        new("LocalTenant:Clients:0:AllowedLogoutUrls:0", AppUrl + "/"),
        new("LocalTenant:Clients:0:AllowedLogoutUrls:1", $"http://127.0.0.1:{SecondAppPort}/"),
        .. TenantSettings,
    ];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App = await TestApp.StartAsync(AppPort, AppSettingsWithDefaults());
        await WaitUntilSignInStartsAsync(App.Url);
    }

    /// <summary>
    /// Until the app starts a sign-in (it has read the tenant's discovery document; the first page also compiles the
    /// app's pages): tests then measure the app, not its start. A circuit opened at start by a slow machine closes here.
    /// </summary>
    public static async Task WaitUntilSignInStartsAsync(Uri app)
    {
        using var browser = TestBrowser.Create(app);
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if ((await browser.GetAsync("/Account/Login")).StatusCode == HttpStatusCode.Redirect) return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"The app at {app} did not start a sign-in within a minute.");
    }

    /// <summary>
    /// Starts another instance of the app on <see cref="SecondAppPort"/>, sharing the tenant and the database;
    /// <paramref name="settings"/> on top of the first instance's.
    /// </summary>
    public Task<TestApp> StartSecondInstanceAsync(params IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var all = AppSettingsWithDefaults();
        foreach (var (key, value) in settings) all[key] = value;
        return TestApp.StartAsync(SecondAppPort, all);
    }

    private Dictionary<string, string?> AppSettingsWithDefaults()
    {
        var settings = TestApp.PointedAt(new Uri(Url));
        settings["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(DataDirectory, "app.db")}";
        foreach (var (key, value) in AppSettings) settings[key] = value;
        return settings;
    }

    /// <summary>As the seeded QA user, points everyone's link and unlink at these flows (global overrides in the console).</summary>
    public async Task UseFlowsAsync(string link, string unlink)
    {
        var qa = NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync("LinkFlow", link);
        await qa.SetFlagAsync("UnlinkFlow", unlink);
    }

    /// <summary>
    /// The app's migration record, waiting (up to 5 s) until at least <paramref name="atLeast"/> events match:
    /// the writer stores them in the background, in batches.
    /// </summary>
    public async Task<List<FlowEvent>> EventsAsync(Func<FlowEvent, bool> match, int atLeast = 1)
    {
        var databases = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await databases.CreateDbContextAsync();
            var events = (await db.FlowEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync()).Where(match).ToList();
            if (events.Count >= atLeast || attempt == 50) return events;
            await Task.Delay(100);
        }
    }

    /// <summary>Drops every user's session cut from the app's database, as if no cut had ever been made.</summary>
    public async Task ForgetSessionCutsAsync()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.SessionCuts.ExecuteDeleteAsync();
    }

    /// <summary>A new "browser" for the app: its own cookie jar, redirects left to the test.</summary>
    public AppBrowser NewBrowser() => new(new Uri(AppUrl), this, new CookieContainer());

    /// <summary>A new "browser" for another instance of the app.</summary>
    public AppBrowser NewBrowser(TestApp instance) => new(instance.Url, this, new CookieContainer());

    public override async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        await base.DisposeAsync();
    }
}
