using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The real app as a process of its own (the LegacyLinking.Web built beside the tests), for what only a process shows:
/// run until it exits (<see cref="RunUntilExitAsync"/>: how it exits and what it prints), or started and stopped the
/// ways a server is stopped (<see cref="StartAsync"/>: SIGTERM, the host shuts down cleanly within its 30 s; SIGKILL,
/// nothing runs after it; its output goes to a log file beside its journal). Everything it writes goes to temp folders
/// and loopback ports. Run until it exits, its environment is Production unless a test names another, and the embedded
/// tenant is enabled (a test stands in for a developer's machine) unless a test sets <c>LocalTenant:Enabled</c> to null.
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

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How the process ended: its exit code and the lines it wrote to standard error.</summary>
    public sealed record Exit(int Code, IReadOnlyList<string> ErrorLines);

    /// <summary>
    /// Starts the app with <paramref name="settings"/> as command-line settings (a null value leaves the key unset) from
    /// <paramref name="workingDirectory"/> (default: the app's own folder) and waits for it to exit; an app still running
    /// after <paramref name="timeout"/> is killed and the test fails.
    /// </summary>
    public static async Task<Exit> RunUntilExitAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var folder = Directory.CreateTempSubdirectory("ll-process-").FullName;
        try
        {
            using var process = Start(settings, folder, workingDirectory, environment: null);
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout ?? DefaultTimeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"The app was still running after {timeout ?? DefaultTimeout}; its output:\n{await output}\n{await errors}");
            }
            await output;
            var lines = (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new Exit(process.ExitCode, lines);
        }
        finally
        {
            Delete(folder);
        }
    }

    /// <summary>
    /// Starts the app in <paramref name="environment"/> and waits until it writes a line containing
    /// <paramref name="expected"/> to standard output (<c>Seen</c>), it exits, or <paramref name="timeout"/> passes; then
    /// stops it. <c>Output</c> is everything it wrote.
    /// </summary>
    public static async Task<(bool Seen, string Output)> RunUntilOutputAsync(
        IReadOnlyDictionary<string, string?> settings, string expected, string? environment = null, TimeSpan? timeout = null)
    {
        var folder = Directory.CreateTempSubdirectory("ll-process-").FullName;
        try
        {
            using var process = Start(settings, folder, workingDirectory: null, environment);
            var written = new System.Text.StringBuilder();
            var seen = new TaskCompletionSource();
            void Collect(string? line, bool isOutput)
            {
                if (line is null) return;
                lock (written) written.AppendLine(line);
                if (isOutput && line.Contains(expected, StringComparison.Ordinal)) seen.TrySetResult();
            }
            process.OutputDataReceived += (_, e) => Collect(e.Data, isOutput: true);
            process.ErrorDataReceived += (_, e) => Collect(e.Data, isOutput: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await Task.WhenAny(seen.Task, process.WaitForExitAsync(), Task.Delay(timeout ?? DefaultTimeout, TestContext.Current.CancellationToken));
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            lock (written) return (seen.Task.IsCompleted, written.ToString());
        }
        finally
        {
            Delete(folder);
        }
    }

    private static Process Start(IReadOnlyDictionary<string, string?> settings, string folder, string? workingDirectory, string? environment)
    {
        var arguments = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["LocalTenant:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["LocalTenant:DataPath"] = Path.Combine(folder, "localtenant.db"),
            ["LocalTenant:Enabled"] = "true",
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings) arguments[key] = value;

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LegacyLinking.Web.dll"));
        foreach (var (key, value) in arguments.Where(a => a.Value is not null)) start.ArgumentList.Add($"--{key}={value}");
        foreach (var variable in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS" }) start.Environment.Remove(variable);
        if (environment is not null) start.Environment["DOTNET_ENVIRONMENT"] = environment;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
    }

    private static void Delete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Starts the app on <paramref name="port"/> with <paramref name="settings"/> (configuration keys) and waits until it serves.</summary>
    /// <param name="environment">Environment variables on top of this process's (e.g. another HOME: another machine's key folder).</param>
    public static async Task<AppProcess> StartAsync(int port, IReadOnlyDictionary<string, string?> settings, string logPath, IReadOnlyDictionary<string, string>? environment = null)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

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
