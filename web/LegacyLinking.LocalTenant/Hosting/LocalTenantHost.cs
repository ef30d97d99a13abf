using Microsoft.AspNetCore.Builder;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// Starts the local Auth0-compatible tenant as its own web application (own DI container, own Kestrel
/// listener), either from its own Program or in-process from LegacyLinking.Web and the tests.
/// </summary>
public sealed class LocalTenantHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalTenantHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The tenant's base URL, e.g. <c>http://127.0.0.1:5081</c> (the issuer is this plus "/").</summary>
    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds and starts the tenant. <paramref name="settings"/> are configuration keys such as
    /// <c>LocalTenant:Url</c>, <c>LocalTenant:DataPath</c>; they override the seed file <c>localtenant.json</c>.
    /// </summary>
    public static async Task<LocalTenantHost> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, CancellationToken cancellationToken = default)
    {
        var app = LocalTenantApp.Build([], settings);
        try
        {
            await app.StartAsync(cancellationToken);
            StartupTimeline.Mark("tenant: started");
        }
        catch
        {
            // e.g. the port is taken: release the database and the half-started host before the caller retries
            await app.DisposeAsync();
            throw;
        }
        return new LocalTenantHost(app, LocalTenantApp.UrlOf(app.Configuration));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
