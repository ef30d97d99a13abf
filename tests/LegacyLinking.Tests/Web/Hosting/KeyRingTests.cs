using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>
/// Two instances of the app as two machines: processes of their own, each with its own home folder (where Data
/// Protection kept a machine's key ring before it moved into the database), on one PostgreSQL database with the
/// sessions there too, behind one address (cookies are per host, not per port, as behind a load balancer).
/// </summary>
public sealed class TwoMachines(PostgresFixture postgres) : LocalTenantFixture
{
    public int PortA { get; } = FreePort.Next();
    public int PortB { get; } = FreePort.Next();
    public AppProcess A { get; private set; } = null!;
    public AppProcess B { get; private set; } = null!;

    /// <summary>The connection string of the database both machines use.</summary>
    public string Database { get; private set; } = "";

    private readonly string _folder = Directory.CreateTempSubdirectory("ll-two-machines-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("LocalTenant:Clients:0:RedirectUris:0", $"http://127.0.0.1:{PortA}/callback"),
        new("LocalTenant:Clients:0:RedirectUris:1", $"http://127.0.0.1:{PortA}/link/callback"),
        new("LocalTenant:Clients:0:RedirectUris:2", $"http://127.0.0.1:{PortB}/callback"),
        new("LocalTenant:Clients:0:RedirectUris:3", $"http://127.0.0.1:{PortB}/link/callback"),
        new("LocalTenant:Clients:0:AllowedLogoutUrls:0", $"http://127.0.0.1:{PortA}/"),
        new("LocalTenant:Clients:0:AllowedLogoutUrls:1", $"http://127.0.0.1:{PortB}/"),
    ];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Database = await postgres.CreateDatabaseAsync("tworings");
        // One after the other: the first applies the migrations.
        A = await StartMachineAsync("a", PortA, Database);
        B = await StartMachineAsync("b", PortB, Database);
        await AppStackFixture.WaitUntilSignInStartsAsync(A.Url);
        await AppStackFixture.WaitUntilSignInStartsAsync(B.Url);
    }

    /// <summary>What machine <paramref name="name"/> logged (for a failure's message).</summary>
    public string LogOf(string name) => File.Exists(Path.Combine(_folder, name, "app.log")) ? File.ReadAllText(Path.Combine(_folder, name, "app.log")) : "";

    /// <summary>Another machine <paramref name="name"/> (home, journal and log folders of its own) on <paramref name="database"/>.</summary>
    public Task<AppProcess> StartMachineAsync(string name, int port, string database)
    {
        var home = Directory.CreateDirectory(Path.Combine(_folder, name, "home")).FullName;
        var settings = new Dictionary<string, string?>(TestApp.PointedAt(new Uri(Url)))
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:LegacyLinking"] = database,
            ["Sessions:Store"] = "Database",
            ["Migration:JournalPath"] = Path.Combine(_folder, name, "journal"),
        };
        return AppProcess.StartAsync(port, settings, Path.Combine(_folder, name, "app.log"), new Dictionary<string, string> { ["HOME"] = home });
    }

    /// <summary>One person's browser, sending the same cookies to either machine.</summary>
    public (AppBrowser OnA, AppBrowser OnB) NewBrowser()
    {
        var cookies = new CookieContainer();
        return (new AppBrowser(A.Url, this, cookies), new AppBrowser(B.Url, this, cookies));
    }

    public override async ValueTask DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        await base.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// With the key ring in the database, whatever one instance protected another reads: a sign-in, an antiforgery form,
/// a status message, a link half done. (With a key ring per machine each of these failed on the other instance.)
/// </summary>
public sealed class KeyRingTests(TwoMachines machines) : IClassFixture<TwoMachines>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sign_in_started_on_one_instance_finishes_on_the_other_and_its_session_works_on_both()
    {
        var (onA, onB) = machines.NewBrowser();
        var login = await onA.Tenant.ContinueAsAsync(onA.Start("/Profile"), Seeded.John);
        var callback = await DeliverToAsync(login, onB, machines.PortA, machines.PortB);
        await onB.FollowAsync(callback);

        foreach (var browser in new[] { onA, onB })
        {
            var (response, page) = await browser.GetPageAsync("/Profile");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
        }
    }

    [Fact]
    public async Task A_form_rendered_by_one_instance_posts_to_the_other_and_its_status_message_shows_on_the_first()
    {
        var (onA, onB) = machines.NewBrowser();
        await onA.SignInAsQaAsync();
        var (_, page) = await onA.GetPageAsync("/Qa/Flags");
        // The form's antiforgery token and cookie come from A; B takes the post.
        var form = HtmlForm.Find(page, onB.Start("/Qa/Flags"), $"[data-test='apply-session-{FlagNames.ShadowCheck}']").Set("value", OnOff.Off);
        var posted = await onB.Http.SendAsync(form.Submit($"apply-session-{FlagNames.ShadowCheck}"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var (shown, after) = await onA.GetPageAsync("/Qa/Flags");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains($"{FlagNames.ShadowCheck} is now off for your session only", after.QuerySelector("[data-test='status-message']")?.TextContent);
        Assert.Equal("(QaSession)", after.QuerySelector($"[data-test='reason-{FlagNames.ShadowCheck}']")?.TextContent);
    }

    [Fact]
    public async Task A_link_started_on_one_instance_is_finished_by_the_other()
    {
        await TenantAdmin.EnsureUnlinkedAsync(machines, Seeded.John, Seeded.JohnSms);
        var (onA, onB) = machines.NewBrowser();
        await onA.SignInAsJohnAsync();
        var authorize = await onA.StartLinkAsync();
        var login = await onA.Tenant.LoginWithSmsAsync(authorize, Seeded.JohnSmsPhone);
        var finished = await onB.FollowAsync(await DeliverToAsync(login, onB, machines.PortA, machines.PortB));
        var result = await LinkResult.ReadAsync(finished, null, authorize);

        Assert.StartsWith("Your Phone account is linked", result.Status);
        Assert.True(result.HasIdentity("sms", Seeded.JohnSms.Split('|')[1]));
        await TenantAdmin.EnsureUnlinkedAsync(machines, Seeded.John, Seeded.JohnSms);
    }

    /// <summary>Delivers the tenant's answer meant for the instance on <paramref name="from"/> to the one on <paramref name="to"/>.</summary>
    private static Task<HttpResponseMessage> DeliverToAsync(TenantStep step, AppBrowser browser, int from, int to)
    {
        Uri Moved(Uri url) => url.Port == from ? new UriBuilder(url) { Port = to }.Uri : throw new InvalidOperationException($"{url} is not for port {from}.");
        if (step.RedirectTarget is { } target) return browser.Http.GetAsync(Moved(target), Ct);
        if (step.FormPost is { } form) return browser.Http.PostAsync(Moved(new Uri(form.Action)), new FormUrlEncodedContent(step.Parameters), Ct);
        throw new InvalidOperationException($"Nothing to deliver: {step}");
    }
}

/// <summary>A team that manages keys itself: a folder of its own for the key ring, encrypted at rest with its certificate.</summary>
public sealed class KeyRingSettingsTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    [Fact]
    public async Task With_a_key_directory_and_a_certificate_the_keys_are_kept_there_encrypted()
    {
        var folder = Directory.CreateTempSubdirectory("ll-keys-").FullName;
        try
        {
            var pfx = Path.Combine(folder, "keys.pfx");
            using (var rsa = System.Security.Cryptography.RSA.Create(2048))
            {
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                    "CN=LegacyLinking keys", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "dev-only"), TestContext.Current.CancellationToken);
            }
            var keys = Path.Combine(folder, "ring");
            await using var app = await stack.StartSecondInstanceAsync(
                new("DataProtection:KeyDirectory", keys), new("DataProtection:CertificatePath", pfx), new("DataProtection:CertificatePassword", "dev-only"));
            var john = stack.NewBrowser(app);
            await john.SignInAsJohnAsync();
            Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);

            var ring = Directory.GetFiles(keys, "key-*.xml");
            Assert.NotEmpty(ring);
            foreach (var key in ring)
            {
                var xml = await File.ReadAllTextAsync(key, TestContext.Current.CancellationToken);
                Assert.Contains("<encryptedSecret", xml);
                Assert.DoesNotContain("<masterKey", xml); // the plain key's element, present only unencrypted
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
