using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The real LegacyLinking.Web app on a real Kestrel loopback port, configured like a deployment pointing at a tenant
/// (<c>Auth0:Domain</c> = the tenant's URL) or, with no tenant URL, starting its embedded tenant itself.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly Factory _factory;

    private readonly string? _ownJournal;

    private TestApp(Factory factory, Uri url, string? ownJournal)
    {
        _factory = factory;
        Url = url;
        _ownJournal = ownJournal;
    }

    public Uri Url { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the app on <paramref name="port"/>; <paramref name="settings"/> are configuration keys.</summary>
    public static Task<TestApp> StartAsync(int port, IReadOnlyDictionary<string, string?> settings)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        // Each instance keeps its own record journal (the app's default is one folder under its content root); a
        // restart on the same port finds its own again.
        var withJournal = new Dictionary<string, string?>(settings);
        var ownJournal = withJournal.TryAdd("Migration:JournalPath", JournalPath(port)) ? JournalPath(port) : null;
        var factory = new Factory(withJournal);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return Task.FromResult(new TestApp(factory, url, ownJournal));
    }

    /// <summary>Settings for an app that talks to an already running tenant, as it would to https://{domain}.</summary>
    public static Dictionary<string, string?> PointedAt(Uri tenantUrl) => new()
    {
        ["Auth0:Domain"] = tenantUrl.GetLeftPart(UriPartial.Authority),
        ["Auth0:ClientId"] = "legacylinking-web",
        ["Auth0:ClientSecret"] = "dev-only-web-secret",
        // Tests change users at the tenant behind the app's back (TenantAdmin) and expect the next view to show it; the
        // profile's cache is tested on its own (Web/Profile/UserCacheTests).
        ["Auth0:UserCacheSeconds"] = "0",
    };

    /// <summary>The record journal of the instance on <paramref name="port"/>, unless the settings name one.</summary>
    public static string JournalPath(int port) => Path.Combine(Path.GetTempPath(), $"ll-journal-{Environment.ProcessId}-{port}");

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        // Stopped cleanly: the journal holds nothing the next instance on this port would need.
        if (_ownJournal is not null && Directory.Exists(_ownJournal) && !Directory.EnumerateFiles(_ownJournal, "spill-*").Any())
            try { Directory.Delete(_ownJournal, recursive: true); } catch (IOException) { }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // As the test project's manifest says; said here too for programs that start it without one (bench/).
            builder.UseContentRoot(AppProcess.WebProjectFolder());
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
