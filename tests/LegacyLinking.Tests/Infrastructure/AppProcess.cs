using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The real app as a process of its own (the LegacyLinking.Web built beside the tests), so a test can stop it the ways a
/// server is stopped: SIGTERM (the host shuts down cleanly, within its 30 s) or SIGKILL (nothing runs after it). Its
/// output goes to a log file beside its journal.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppProcess(Process process, Uri url, StreamWriter log, string logPath)
    {
        _process = process;
        Url = url;
        _log = log;
        LogPath = logPath;
    }

    public Uri Url { get; }
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the app on <paramref name="port"/> with <paramref name="settings"/> (configuration keys) and waits until it serves.</summary>
    public static async Task<AppProcess> StartAsync(int port, IReadOnlyDictionary<string, string?> settings, string logPath)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "LegacyLinking.Web"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WebProjectFolder(),
        };
        foreach (var argument in new[] { $"--urls={url}", "--environment=Development", $"--contentRoot={WebProjectFolder()}" })
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, url, log, logPath);
        await app.WaitUntilServingAsync();
        return app;
    }

    /// <summary>SIGTERM, as a service manager or an orchestrator stops it; waits until it has exited.</summary>
    public async Task TerminateAsync(TimeSpan? timeout = null)
    {
        if (Kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastWin32Error()}");
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(wait.Token);
    }

    /// <summary>SIGKILL: the process ends at once, whatever it holds.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} while starting; see {LogPath}.");
            try
            {
                if ((await http.GetAsync(new Uri(Url, "/"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app did not serve within two minutes; see {LogPath}.");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>web/LegacyLinking.Web in the checkout the tests were built from (the app's content root: appsettings.json, wwwroot).</summary>
    public static string WebProjectFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "LegacyLinking.sln")))
                return Path.Combine(folder.FullName, "web", "LegacyLinking.Web");
        throw new InvalidOperationException("LegacyLinking.sln was not found above " + AppContext.BaseDirectory);
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
