using System.Collections.Concurrent;
using System.Net;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// Profile views from a signed-in user, several at a time, until stopped or until the app goes away: each view that
/// answers 200 has recorded one suggestion lookup, so the completed views are what the record must hold.
/// </summary>
public sealed class ProfileLoad
{
    private readonly ConcurrentQueue<DateTime> _completed = new();
    private readonly ConcurrentQueue<int> _failed = new();
    private int _unanswered;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;

    private ProfileLoad(AppBrowser browser, int workers) =>
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(browser))).ToArray();

    /// <summary>Views whose answer never came (cut off, or cancelled at the stop): the app may still have recorded them.</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);

    public static ProfileLoad Start(AppBrowser browser, int workers = 4) => new(browser, workers);

    /// <summary>When each 200 came back (UTC, this machine's clock, which the app shares).</summary>
    public IReadOnlyList<DateTime> Completed => [.. _completed];

    /// <summary>Answers other than 200 while the app was up (a 5xx would be a failure of the app).</summary>
    public IReadOnlyList<int> Failed => [.. _failed];

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private async Task RunAsync(AppBrowser browser)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await browser.Http.GetAsync("/Profile", _stop.Token);
                if (response.StatusCode == HttpStatusCode.OK) _completed.Enqueue(DateTime.UtcNow);
                else _failed.Enqueue((int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
            {
                Interlocked.Increment(ref _unanswered);
                // The app stopped (or is stopping; a connection cut as it opens can surface as a bare SocketException): this view may or may not have been recorded, so it is not counted.
                if (!_stop.IsCancellationRequested) await Task.Delay(50);
            }
        }
    }
}
