using System.Diagnostics;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The app as its own process (<c>dotnet LegacyLinking.Web.dll</c> from this test's output, where its appsettings.json
/// is), for what only a process shows: how it exits and what it prints. Everything it would write goes to a fresh
/// temp folder and loopback ports.
/// </summary>
public static class AppProcess
{
    /// <summary>How the process ended: its exit code and the lines it wrote to standard error.</summary>
    public sealed record Exit(int Code, IReadOnlyList<string> ErrorLines);

    /// <summary>
    /// Starts the app with <paramref name="settings"/> as command-line settings from <paramref name="workingDirectory"/>
    /// (default: the app's own folder) and waits for it to exit; an app still running after <paramref name="timeout"/>
    /// is killed and the test fails.
    /// </summary>
    public static async Task<Exit> RunUntilExitAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var folder = Directory.CreateTempSubdirectory("ll-process-").FullName;
        try
        {
            var arguments = new Dictionary<string, string?>
            {
                ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["LocalTenant:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["LocalTenant:DataPath"] = Path.Combine(folder, "localtenant.db"),
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
            foreach (var (key, value) in arguments) start.ArgumentList.Add($"--{key}={value}");
            foreach (var variable in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS" }) start.Environment.Remove(variable);

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"The app was still running after {timeout ?? TimeSpan.FromSeconds(90)}; its output:\n{await output}\n{await errors}");
            }
            await output;
            var lines = (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new Exit(process.ExitCode, lines);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
