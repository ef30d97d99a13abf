using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class LocalTenantSetup
{
    public const string EnabledKey = "LocalTenant:Enabled";

    /// <summary>
    /// When no Auth0:Domain is configured, the app starts the local tenant in-process and talks to it over HTTP — in the
    /// Development environment, or elsewhere only with <c>LocalTenant:Enabled=true</c>: a deployment that lost its
    /// <c>Auth0__Domain</c> must not quietly serve a fake tenant whose passwords are in the repository. Otherwise the
    /// start fails like any bad setting, with one line naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddEmbeddedLocalTenant(this IHostApplicationBuilder builder)
    {
        var local = string.IsNullOrWhiteSpace(builder.Configuration["Auth0:Domain"]);
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<LocalTenantOptions>()
            .Validate(options => !local || development || options.Enabled,
                $"Configuration '{EnabledKey}' is not true: Auth0:Domain is empty and the embedded local tenant (test users with known " +
                $"passwords) starts outside Development only with {EnabledKey}=true; set Auth0:Domain to use a real tenant.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EmbeddedTenantStart>();
        builder.Services.AddHostedService<EmbeddedLocalTenant>();
        return builder;
    }
}

/// <summary>
/// Runs the local tenant beside the app for as long as the app runs; does nothing for a real tenant. The tenant is
/// built, seeded and started on its own thread while the app migrates its database and starts listening (a page that
/// needs no tenant, such as <c>/</c>, is served meanwhile); every call the app makes to it waits for that start
/// (<see cref="EmbeddedTenantStart"/>), and the app's own start completes only once the tenant answers.
/// </summary>
public sealed class EmbeddedLocalTenant(
    Auth0Tenant tenant,
    EmbeddedTenantStart start,
    IOptions<LocalTenantOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<EmbeddedLocalTenant> logger) : IHostedLifecycleService
{
    private Task<LocalTenantHost>? _host;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        StartupTimeline.Mark("app: embedded tenant starting");
        if (!tenant.IsLocal) return Task.CompletedTask;

        var settings = configuration.GetSection(LocalTenantOptions.Section).AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["LocalTenant:Url"] = tenant.AuthorityText;
        settings["LocalTenant:DataPath"] = options.Value.ResolveDataPath(environment);
        // Task.Run: building the tenant is synchronous work (its store is created and seeded before it listens).
        _host = Task.Run(() => LocalTenantHost.StartAsync(settings, cancellationToken), cancellationToken);
        start.Begin(_host);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_host is null) return;
        StartupTimeline.Mark("app: waiting for tenant");
        await _host.WaitAsync(cancellationToken);
        StartupTimeline.Mark("app: tenant there");
        logger.LogInformation(
            "Auth0:Domain is empty: started the embedded local tenant at {TenantUrl} (data {DataPath}); set Auth0:Domain to use a real tenant.",
            tenant.AuthorityText, options.Value.ResolveDataPath(environment));
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_host is null) return;
        LocalTenantHost host;
        try
        {
            host = await _host;
        }
        catch (Exception)
        {
            return; // it never started; the start already reported why
        }
        await host.DisposeAsync();
    }
}

/// <summary>The embedded tenant's start, for calls to the tenant to wait on (<see cref="TenantTrust.CreateHandler"/>).</summary>
public sealed class EmbeddedTenantStart
{
    private volatile Task? _started;

    internal void Begin(Task started) => _started = started;

    /// <summary>Completes once the embedded tenant answers; at once when none is starting (a real tenant, or not started yet).</summary>
    public Task WhenStarted => _started ?? Task.CompletedTask;
}
