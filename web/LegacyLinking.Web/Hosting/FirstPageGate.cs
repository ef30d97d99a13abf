using LegacyLinking.LocalTenant.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LegacyLinking.Web.Hosting;

/// <summary>
/// What a start does not need for its first page — the embedded tenant's own start (its store, seed and signing key),
/// the warm-ups of calls to the tenant, the background log reader and the ramp engine — waits for this gate, so on a
/// cold start it does not take the CPU from the first request (the machine may have two cores; the tenant's start
/// alone costs more CPU than the app's first page). It opens when the first response has been sent, when a request
/// needs that work now (<see cref="OpenNow"/>: a page's call to the embedded tenant), or <see cref="ListeningDelay"/>
/// after the app listens, whichever comes first.
/// </summary>
public sealed class FirstPageGate(TimeProvider clock)
{
    /// <summary>Longer than a first page takes on a loaded two-core machine; short enough that nobody waits for it.</summary>
    public static readonly TimeSpan ListeningDelay = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private volatile bool _isOpen;

    public bool IsOpen => _isOpen;

    /// <summary>Completes once the gate is open.</summary>
    public Task Opened => _open.Task;

    public void OpenNow()
    {
        if (_isOpen) return;
        _isOpen = true;
        if (_open.TrySetResult()) StartupTimeline.Mark("app: first-page gate open");
        Interlocked.Exchange(ref _timer, null)?.Dispose();
    }

    /// <summary>The app listens: the gate opens at the latest <see cref="ListeningDelay"/> from now. Idempotent.</summary>
    public void Listening()
    {
        if (_isOpen || Volatile.Read(ref _timer) is not null) return;
        var timer = clock.CreateTimer(_ => OpenNow(), null, ListeningDelay, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _timer, timer, null) is not null || _isOpen) timer.Dispose();
    }

    /// <summary>Opens the gate once the first response has been sent; after that, a request costs one field read.</summary>
    private sealed class OnFirstResponse(FirstPageGate gate) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (!gate.IsOpen)
                    context.Response.OnCompleted(static state =>
                    {
                        ((FirstPageGate)state).OpenNow();
                        return Task.CompletedTask;
                    }, gate);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Arms the gate's timer once the server listens (the hosted services' "started" step comes after it).</summary>
    private sealed class ArmWhenListening(FirstPageGate gate) : IHostedLifecycleService
    {
        public Task StartedAsync(CancellationToken cancellationToken)
        {
            gate.Listening();
            return Task.CompletedTask;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    internal static void Register(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FirstPageGate>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, OnFirstResponse>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ArmWhenListening>());
    }
}

/// <summary>
/// Creates and runs a hosted service once the first page has been served (<see cref="FirstPageGate"/>) instead of as
/// the app starts: neither its start nor the building of what it depends on (HTTP clients and their resilience
/// pipelines, for instance) competes with the first request. Stopping stops it if it started. A background service's
/// failure still stops the app, as the host's default is for background services.
/// </summary>
internal sealed class AfterFirstPage<T>(Func<T> create, FirstPageGate gate) : BackgroundService where T : class, IHostedService
{
    private volatile T? _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Opened.WaitAsync(stoppingToken);
        var inner = _started = create();
        await inner.StartAsync(stoppingToken);
        if (inner is BackgroundService { ExecuteTask: { } running }) await running;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started is { } inner) await inner.StopAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
    }
}

public static class FirstPageGateSetup
{
    /// <summary>The gate (<see cref="FirstPageGate"/>); every setup that uses it adds it, once.</summary>
    public static IServiceCollection AddFirstPageGate(this IServiceCollection services)
    {
        FirstPageGate.Register(services);
        return services;
    }

    /// <summary>Starts the singleton <typeparamref name="T"/> once the first page has been served (<see cref="AfterFirstPage{T}"/>).</summary>
    public static IServiceCollection AddHostedServiceAfterFirstPage<T>(this IServiceCollection services) where T : class, IHostedService
    {
        services.AddFirstPageGate();
        services.AddHostedService(sp => new AfterFirstPage<T>(sp.GetRequiredService<T>, sp.GetRequiredService<FirstPageGate>()));
        return services;
    }
}
