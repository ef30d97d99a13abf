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
        builder.Services.AddFirstPageGate();
        builder.Services.AddSingleton<EmbeddedTenantStart>();
        builder.Services.AddHostedService<EmbeddedLocalTenant>();
        return builder;
    }
}

/// <summary>
/// Runs the local tenant beside the app for as long as the app runs; does nothing for a real tenant. The app migrates
/// its database and starts listening first; the tenant is built, seeded and started once the first page has been
/// served (<see cref="FirstPageGate"/>: or a call needs the tenant, or two seconds after the app listens), so its
/// start — more CPU than the app's first page — does not slow that page down. Every call the app makes to the tenant
/// waits for its start (<see cref="EmbeddedTenantStart"/>), and the app's own start completes only once the tenant
/// answers: a tenant that cannot start still fails the app's start.
/// </summary>
public sealed class EmbeddedLocalTenant(
    Auth0Tenant tenant,
    EmbeddedTenantStart start,
    FirstPageGate gate,
    IOptions<LocalTenantOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<EmbeddedLocalTenant> logger) : IHostedLifecycleService
{
    private Task<LocalTenantHost>? _host;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (tenant.IsLocal) start.Expect();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        gate.Listening();
        if (!tenant.IsLocal) return;

        var settings = configuration.GetSection(LocalTenantOptions.Section).AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["LocalTenant:Url"] = tenant.AuthorityText;
        settings["LocalTenant:DataPath"] = options.Value.ResolveDataPath(environment);

        StartupTimeline.Mark("app: tenant waits for the first page");
        await Task.WhenAny(gate.Opened, start.Wanted).WaitAsync(cancellationToken);
        StartupTimeline.Mark("app: embedded tenant starting");
        // Task.Run: building the tenant is synchronous work (its store is created and seeded before it listens).
        _host = Task.Run(() => LocalTenantHost.StartAsync(settings, cancellationToken), cancellationToken);
        start.Begin(_host);
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
        start.Abandon();
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
public sealed class EmbeddedTenantStart(IHttpContextAccessor? requests = null)
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _expected;

    /// <summary>The app runs the embedded tenant: calls wait for it from now on.</summary>
    internal void Expect() => _expected = true;

    /// <summary>Completes when a request needs the tenant before the first page has opened the gate.</summary>
    internal Task Wanted => _wanted.Task;

    internal void Begin(Task started) => started.ContinueWith(static (task, state) =>
    {
        var done = (TaskCompletionSource)state!;
        if (task.IsCompletedSuccessfully) done.TrySetResult();
        else if (task.IsCanceled) done.TrySetCanceled();
        else done.TrySetException(task.Exception!.InnerExceptions);
    }, _started, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The app stops: a tenant that never began will not start any more.</summary>
    internal void Abandon() => _started.TrySetCanceled();

    /// <summary>
    /// Completes once the embedded tenant answers; at once when none runs (a real tenant). A request's call (a page
    /// that needs the tenant) has it start now if it still waits for the first page; background work waits its turn.
    /// </summary>
    public Task WhenStarted
    {
        get
        {
            if (!_expected) return Task.CompletedTask;
            if (!_started.Task.IsCompleted && requests?.HttpContext is not null) _wanted.TrySetResult();
            return _started.Task;
        }
    }
}
