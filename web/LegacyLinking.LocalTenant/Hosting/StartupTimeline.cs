using System.Diagnostics;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// With <c>LEGACYLINKING_STARTUP_TIMELINE=1</c>, each step of a start writes one line to standard error: milliseconds
/// since the process started, the thread, and the step (bench/cold-start.sh --timeline reads them). Off, a step costs a
/// field read.
/// </summary>
public static class StartupTimeline
{
    private static readonly bool On = Environment.GetEnvironmentVariable("LEGACYLINKING_STARTUP_TIMELINE") == "1";

    public static void Mark(string step)
    {
        if (!On) return;
        using var process = Process.GetCurrentProcess();
        var since = DateTime.Now - process.StartTime;
        Console.Error.WriteLine(
            $"[startup] {since.TotalMilliseconds,7:0} ms  cpu {process.TotalProcessorTime.TotalMilliseconds,6:0} ms  jit {System.Runtime.JitInfo.GetCompiledMethodCount(),6} methods {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,6:0} ms  t{Environment.CurrentManagedThreadId,-3} {step}");
    }
}
