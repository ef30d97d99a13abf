using System.Diagnostics;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The app as its own process (<c>dotnet LegacyLinking.Web.dll</c> from this test's output, where its appsettings.json
/// is), for what only a process shows: how it exits and what it prints. Everything it would write goes to a fresh
/// temp folder and loopback ports. Its environment is Production unless a test names another; the embedded tenant is
/// enabled (a test stands in for a developer's machine) unless a test sets <c>LocalTenant:Enabled</c> to null.
/// </summary>
public static class AppProcess
{
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
}
