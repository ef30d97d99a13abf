using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>
/// <c>LocalTenant:Url=https://…</c>: the embedded tenant serves https with a development certificate kept beside its
/// data, and the app's back-channel calls trust exactly that certificate — nothing more, and nothing process-wide.
/// </summary>
public sealed class EmbeddedHttpsTenantTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("ll-https-").FullName;
    private readonly int _tenantPort = FreePort.Next();
    private readonly int _appPort = FreePort.Next();
    private TestApp _app = null!;

    private Uri TenantUrl => new($"https://127.0.0.1:{_tenantPort}");
    private Uri AppUrl => new($"http://127.0.0.1:{_appPort}");

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(_appPort, new Dictionary<string, string?>
    {
        ["LocalTenant:Url"] = TenantUrl.GetLeftPart(UriPartial.Authority),
        ["LocalTenant:DataPath"] = Path.Combine(_folder, "tenant.db"),
        ["LocalTenant:Clients:0:RedirectUris:0"] = AppUrl + "callback",
        ["LocalTenant:Clients:0:AllowedLogoutUrls:0"] = AppUrl.ToString(),
        ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(_folder, "app.db")}",
        // The log reader's own rounds stay off: its first round would spend the call the test's round needs.
        ["Migration:DepnotePollSeconds"] = "0",
    });

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_tenant_serves_https_with_the_certificate_kept_beside_its_data()
    {
        var pem = Path.Combine(_folder, DevelopmentCertificate.PemFileName);
        Assert.True(File.Exists(pem), "the certificate for clients to trust sits beside the tenant's data");
        var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(pem, Ct));
        Assert.True(certificate.MatchesHostname("127.0.0.1") && certificate.MatchesHostname("localhost"));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, DevelopmentCertificate.FileName)));

        using var http = Pinned(certificate, new CookieContainer());
        var discovery = await http.GetStringAsync(new Uri(TenantUrl, "/.well-known/openid-configuration"), Ct);
        Assert.Contains($"\"issuer\":\"{TenantUrl}\"", discovery.Replace(" ", ""));
        Assert.Contains($"\"token_endpoint\":\"{TenantUrl}oauth/token\"", discovery.Replace(" ", ""));
    }

    [Fact]
    public async Task Signing_in_works_end_to_end_over_https_because_the_app_trusts_the_tenants_certificate()
    {
        var certificate = _app.Services.GetRequiredService<TenantTrust>().Certificate!;
        var cookies = new CookieContainer();
        using var browser = Pinned(certificate, cookies);
        var driver = new TenantLoginDriver(browser, TenantUrl);

        var step = await driver.ContinueAsAsync(new Uri(AppUrl, "/Profile"), Seeded.John);
        var response = await step.DeliverAsync(browser); // the app redeems the code and reads the JWKS over https
        for (var hop = 0; hop < 5 && TestBrowser.RedirectTarget(response) is { } target && target.Authority == AppUrl.Authority; hop++)
            response = await browser.GetAsync(target, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("John Doe", await response.Content.ReadAsStringAsync(Ct)); // read through the Management API, over https
    }

    [Fact]
    public async Task The_tenant_log_reader_reads_over_https_too()
    {
        var round = await _app.Services.GetRequiredService<LegacyLinking.Web.MigrationTracking.DeprecationNoticeIngestor>().ReadOnceAsync(Ct);
        await using var scope = _app.Services.CreateAsyncScope();
        var reader = await scope.ServiceProvider.GetRequiredService<LegacyLinking.Web.MigrationTracking.DeprecationUsage>().ReaderAsync(Ct);
        Assert.True(round.Calls > 0 && reader.LastError is null, reader.LastError);
        Assert.NotNull(reader.LastSuccessAt);
    }

    [Fact]
    public async Task The_trust_is_only_the_app_clients_and_only_that_certificate()
    {
        // A client of the same process without the pin refuses the tenant: nothing was trusted process-wide.
        using var plain = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri(TenantUrl, "/.well-known/jwks.json"), Ct));

        // The app's pinned handler refuses another self-signed https server (another tenant, another certificate).
        var otherFolder = Directory.CreateTempSubdirectory("ll-https-other-").FullName;
        var otherPort = FreePort.Next();
        await using var other = await LocalTenantHost.StartAsync(new Dictionary<string, string?>
        {
            ["LocalTenant:Url"] = $"https://127.0.0.1:{otherPort}",
            ["LocalTenant:DataPath"] = Path.Combine(otherFolder, "tenant.db"),
        }, Ct);
        using var pinned = new HttpClient(_app.Services.GetRequiredService<TenantTrust>().CreateHandler());
        Assert.Equal(HttpStatusCode.OK, (await pinned.GetAsync(new Uri(TenantUrl, "/.well-known/jwks.json"), Ct)).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => pinned.GetAsync($"https://127.0.0.1:{otherPort}/.well-known/jwks.json", Ct));
    }

    /// <summary>A test browser that trusts the tenant's certificate (as a developer's browser would after trusting it).</summary>
    private static HttpClient Pinned(X509Certificate2 certificate, CookieContainer cookies) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = cookies,
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { certificate },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
    }) { Timeout = TimeSpan.FromSeconds(30) };
}
