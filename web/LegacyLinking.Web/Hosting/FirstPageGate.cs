using LegacyLinking.LocalTenant.Hosting;

namespace LegacyLinking.Web.Hosting;

/// <summary>
/// What a start does not need for its first page — the embedded tenant's own start (its store, seed and signing key)
/// and the warm-ups of calls to the tenant — waits for this gate, so on a cold start it does not take the CPU from the
/// first request (the machine may have two cores; the tenant's start alone costs more CPU than the app's first page).
/// It opens when the first response has been sent, when a request needs that work now (<see cref="OpenNow"/>: a call
/// to the embedded tenant), or <see cref="ListeningDelay"/> after the app listens, whichever comes first.
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

    /// <summary>The app listens: the gate opens at the latest <see cref="ListeningDelay"/> from now.</summary>
    internal void Listening()
    {
        if (_isOpen) return;
        var timer = clock.CreateTimer(_ => OpenNow(), null, ListeningDelay, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _timer, timer, null) is not null || _isOpen) timer.Dispose();
    }

    /// <summary>Opens the gate once the first response has been sent; after that, a request costs one field read.</summary>
    internal sealed class OnFirstResponse(FirstPageGate gate) : IStartupFilter
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
}
