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

    private TestApp(Factory factory, Uri url)
    {
        _factory = factory;
        Url = url;
    }

    public Uri Url { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the app on <paramref name="port"/>; <paramref name="settings"/> are configuration keys.</summary>
    public static Task<TestApp> StartAsync(int port, IReadOnlyDictionary<string, string?> settings)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        var factory = new Factory(settings);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return Task.FromResult(new TestApp(factory, url));
    }

    /// <summary>Settings for an app that talks to an already running tenant, as it would to https://{domain}.</summary>
    public static Dictionary<string, string?> PointedAt(Uri tenantUrl) => new()
    {
        ["Auth0:Domain"] = tenantUrl.GetLeftPart(UriPartial.Authority),
        ["Auth0:ClientId"] = "legacylinking-web",
        ["Auth0:ClientSecret"] = "dev-only-web-secret",
    };

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
