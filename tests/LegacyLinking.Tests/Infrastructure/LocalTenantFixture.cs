using System.Net;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.Data.Sqlite;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// A real local tenant on a free 127.0.0.1 port with its SQLite file in a fresh temp folder, seeded from
/// <c>localtenant.json</c>. Use as an xunit class fixture, or derive and override <see cref="ExtraSettings"/>
/// (e.g. to point the seeded client's redirect URIs at an app under test).
/// </summary>
public class LocalTenantFixture : IAsyncLifetime
{
    /// <summary>The app's seeded client: its client-credentials grant has only the scopes the app uses.</summary>
    public const string ClientId = "legacylinking-web";
    public const string ClientSecret = "dev-only-web-secret";

    /// <summary>The tests' own seeded client, a tenant admin (creates and deletes users, switches tenant flags).</summary>
    public const string AdminClientId = "legacylinking-tests";
    public const string AdminClientSecret = "dev-only-tests-secret";

    /// <summary>A redirect URI of the seeded client; nothing needs to listen there, the driver stops at the redirect.</summary>
    public const string RedirectUri = "http://127.0.0.1:5080/callback";
    public const string LogoutUrl = "http://127.0.0.1:5080/";

    private readonly IReadOnlyList<KeyValuePair<string, string?>> _extraSettings;
    private LocalTenantHost? _host;
    private IReadOnlyList<KeyValuePair<string, string?>> _settings = [];

    /// <summary>For xunit (<c>IClassFixture&lt;LocalTenantFixture&gt;</c>); xunit calls <see cref="InitializeAsync"/>.</summary>
    public LocalTenantFixture() : this([]) { }

    protected LocalTenantFixture(IEnumerable<KeyValuePair<string, string?>> extraSettings) => _extraSettings = [.. extraSettings];

    /// <summary>Starts a tenant outside xunit's fixture machinery (dispose it yourself).</summary>
    public static async Task<LocalTenantFixture> StartAsync(IEnumerable<KeyValuePair<string, string?>>? extraSettings = null)
    {
        var fixture = new LocalTenantFixture(extraSettings ?? []);
        await fixture.InitializeAsync();
        return fixture;
    }

    /// <summary>
    /// Settings that point the seeded client's first redirect URIs and logout URL at an app under test, e.g.
    /// <c>http://127.0.0.1:41235</c> → <c>/callback</c>, <c>/link/callback</c>, <c>/</c>. The seed's other entries stay.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> ClientRedirectsTo(string appUrl)
    {
        appUrl = appUrl.TrimEnd('/');
        return
        [
            new("LocalTenant:Clients:0:RedirectUris:0", appUrl + "/callback"),
            new("LocalTenant:Clients:0:RedirectUris:1", appUrl + "/link/callback"),
            new("LocalTenant:Clients:0:AllowedLogoutUrls:0", appUrl + "/"),
        ];
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ll-tenant-" + Guid.NewGuid().ToString("N"));
    public string DataPath => Path.Combine(DataDirectory, "localtenant.db");

    public LocalTenantHost Host => _host ?? throw new InvalidOperationException("The tenant is not running.");

    /// <summary>The tenant's base URL without the trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => Host.Url.GetLeftPart(UriPartial.Authority);

    /// <summary>The issuer, with the trailing slash.</summary>
    public string Issuer => Url + "/";
    public string ManagementAudience => Url + "/api/v2/";

    /// <summary>Settings added after <c>LocalTenant:Url</c> and <c>LocalTenant:DataPath</c>; later keys win.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => _extraSettings;

    public virtual async ValueTask InitializeAsync()
    {
        _host = await FreePort.RetryOnConflictAsync(async port =>
        {
            _settings =
            [
                new("LocalTenant:Url", $"http://127.0.0.1:{port}"),
                new("LocalTenant:DataPath", DataPath),
                .. ExtraSettings,
            ];
            return await LocalTenantHost.StartAsync(_settings);
        });
        await WarmUpAsync();
    }

    /// <summary>
    /// Asks the new tenant for its discovery document and keys until it answers, as a tenant that has served before
    /// would: its first answer (code compiled, keys loaded) can take longer than an app's deadline on a busy machine,
    /// and an app started next would count that against the tenant.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.Url, Timeout = TimeSpan.FromSeconds(60) };
        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/jwks.json" })
            (await http.GetAsync(path)).EnsureSuccessStatusCode();
        // The token endpoint's first grant (client secret check, signing) is the slowest first answer of all; a fixture
        // may have changed the client, so only the warming counts, not the answer.
        using var _ = await http.PostAsync("/oauth/token", new FormUrlEncodedContent([
            new("grant_type", "client_credentials"), new("client_id", ClientId), new("client_secret", ClientSecret),
            new("audience", new Uri(Host.Url, "/api/v2/").ToString()),
        ]));
    }

    /// <summary>Stops the tenant and starts it again on the same port and database (keys, users and sessions persist).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _host = await LocalTenantHost.StartAsync(_settings);
    }

    /// <summary>
    /// Rotates the tenant's signing key as an operator who rotates and revokes it does: stopped, its signing key
    /// removed, started again on the same port and database. A new key signs from now on; every token signed with the
    /// old one is refused.
    /// </summary>
    public async Task RotateSigningKeyAsync()
    {
        await StopAsync();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DataPath}"))
        {
            await db.OpenAsync();
            await using var delete = db.CreateCommand();
            delete.CommandText = "DELETE FROM keys WHERE \"Use\" = $use";
            delete.Parameters.AddWithValue("$use", LegacyLinking.LocalTenant.Data.StoredKey.Uses.Signing);
            if (await delete.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException("The tenant had no signing key to rotate.");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _host = await LocalTenantHost.StartAsync(_settings);
    }

    /// <summary>
    /// A client that keeps cookies and does not follow redirects (tests look at each hop). Pass one
    /// <see cref="CookieContainer"/> to several clients to share a "browser".
    /// </summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) => TestBrowser.Create(new Uri(Url), cookies);

    public TenantLoginDriver CreateDriver(HttpClient? client = null) => new(client ?? CreateClient(), new Uri(Url));

    public TenantTokenClient CreateTokenClient(HttpClient? client = null) => new(client ?? CreateClient(), new Uri(Url));

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        // Pooled SQLite connections keep the file open; release them before deleting the folder.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the OS temp cleaner gets it otherwise
        }
        GC.SuppressFinalize(this);
    }

    private async Task StopAsync()
    {
        if (_host is null) return;
        await _host.DisposeAsync();
        _host = null;
    }
}
