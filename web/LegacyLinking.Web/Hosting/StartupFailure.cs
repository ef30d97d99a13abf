using System.Reflection;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class StartupFailure
{
    /// <summary>
    /// Runs the app until it is stopped. When the app is its own process, a start that fails ends that process with
    /// exit code 1 and one line per cause on standard error — for a bad setting: its key, its value and what is
    /// expected — instead of an unhandled exception and an abort. Hosted by another program (the tests'
    /// WebApplicationFactory), the exception goes to that program.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(this WebApplication app)
    {
        await using var running = app;
        try
        {
            StartupTimeline.Mark("app: StartAsync");
            await app.StartAsync();
            StartupTimeline.Mark("app: started");
        }
        catch (Exception failure) when (Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly)
        {
            foreach (var line in Explain(failure)) await Console.Error.WriteLineAsync(line);
            return 1;
        }
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static IEnumerable<string> Explain(Exception failure) => failure switch
    {
        AggregateException all => all.InnerExceptions.SelectMany(Explain),
        OptionsValidationException invalid => invalid.Failures,
        _ => [$"The app could not start: {failure.GetBaseException().Message.ReplaceLineEndings(" ")}"],
    };
}
