using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Hosting;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;
using LegacyLinking.Web.Profile;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Bench;

/// <summary>
/// (a) What recording costs a request. Two instances of the real app's services, composed as Program.cs composes
/// them and configured by its appsettings.json (flags: legacy flows, shadow check and suggestions on), each talking over
/// loopback HTTP to its own real local tenant, on its own SQLite file: one with recording on, one with it off
/// (<c>Migration:Recording=false</c>). A "request" runs the profile page's handler work (GET the user and the users
/// with the same email from the Management API, record the suggestion lookup) or the unlink handler's (flags, fresh
/// read from the tenant, guards, shadow check, record the refusal), in its own DI scope as a request would, 8 at a
/// time. Each invocation runs 2,048 requests against one instance, then 2,048 against the other (the order
/// alternates), so both see the same machine load: on a shared 2-core machine, separate processes drift by more than
/// the 3 % to be measured. With recording on, the events go through the bounded queue to the background writer
/// (inserts and rollup upserts into SQLite) on the same two cores.
///
/// Two figures per round. Wall clock: the round's requests, plus the writer's busy time after the last one (it lets a
/// batch fill for a second, so a round's last batch would otherwise land in the next round; the round waits for it,
/// untimed). CPU: the process's processor time from the first request until the writer has stored the round's last
/// event — the cost a saturated server pays per request, whatever else shares the machine (a lingering writer costs
/// no CPU while it waits). On a CPU-bound server throughput is cores ÷ CPU per request, so the throughput ratio is
/// CPU per request off ÷ on. Cleanup prints both ratios over the measured rounds (warm-up rounds left out: tiered JIT
/// makes them several times slower and uneven).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: WarmupRounds, iterationCount: MeasuredRounds)]
public class RecordingOverheadBenchmarks
{
    private const int WarmupRounds = 16;
    private const int MeasuredRounds = 100;
    private const int Requests = 2_048;
    private const int Concurrency = 8;
    private const string Ada = "auth0|5f7c8ec7c33c6c004bbafe82";

    /// <summary>Ada's signed-in session as the profile page sees it: the email it signed in with, verified.</summary>
    private static readonly System.Security.Claims.ClaimsPrincipal AdaSession = new(new System.Security.Claims.ClaimsIdentity(
        [new("sub", Ada), new("email", "ada@example.com"), new("email_verified", "true")], "bench"));

    private readonly List<(Round Off, Round On)> _pairs = [];
    private Instance _off = null!;
    private Instance _on = null!;
    private int _invocation;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _off = await Instance.StartAsync(recording: false);
        _on = await Instance.StartAsync(recording: true);
    }

    /// <summary>2,048 requests with recording off and 2,048 with it on (time per request = the mean of both).</summary>
    [Benchmark(OperationsPerInvoke = 2 * Requests)]
    public async Task OffAndOn()
    {
        var onFirst = _invocation++ % 2 == 1;
        var first = await RunRoundAsync(onFirst ? _on : _off);
        var second = await RunRoundAsync(onFirst ? _off : _on);
        _pairs.Add(onFirst ? (second, first) : (first, second));
    }

    private readonly record struct Round(double WallMs, double CpuMs);

    private static async Task<Round> RunRoundAsync(Instance instance)
    {
        var writer = instance.Writer;
        var stored = writer.Written + (instance.Recording ? Requests : 0); // each request records one event
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuAtStart = process.TotalProcessorTime;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await instance.RunRequestsAsync();
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var busyAtEnd = writer.BusyTime;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (writer.Written < stored)
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"The writer stored {writer.Written:N0} of {stored:N0} events.");
            await Task.Delay(5);
        }
        process.Refresh();
        return new Round((elapsed + (writer.BusyTime - busyAtEnd)).TotalMilliseconds, (process.TotalProcessorTime - cpuAtStart).TotalMilliseconds);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var measured = _pairs.Skip(WarmupRounds).ToList();
        Console.WriteLine($"// paired rounds: {measured.Count} measured (+{_pairs.Count - measured.Count} warm-up); throughput with recording on / off:");
        Console.WriteLine("//   by CPU per request: " + Ratios(measured.Select(p => (p.Off.CpuMs, p.On.CpuMs)).ToList()));
        Console.WriteLine("//   by wall clock:      " + Ratios(measured.Select(p => (p.Off.WallMs, p.On.WallMs)).ToList()));
        Console.WriteLine($"// rounds (off / on, wall ms | CPU ms): {string.Join(", ", _pairs.Select(p => $"{p.Off.WallMs:F0}/{p.On.WallMs:F0} | {p.Off.CpuMs:F0}/{p.On.CpuMs:F0}"))}");
        await _off.DisposeAsync();
        await _on.DisposeAsync();
    }

    /// <summary>Total off ÷ total on (the throughput ratio over all measured rounds), and the spread of the per-round ratios.</summary>
    private static string Ratios(List<(double Off, double On)> rounds)
    {
        var ratios = rounds.Select(r => r.Off / r.On).Order().ToList();
        return $"total {rounds.Sum(r => r.Off) / rounds.Sum(r => r.On):P1}, median {ratios[ratios.Count / 2]:P1}, " +
               $"quartiles {ratios[ratios.Count / 4]:P1}–{ratios[3 * ratios.Count / 4]:P1}, range {ratios[0]:P1}–{ratios[^1]:P1}";
    }

    private sealed class Instance : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private string _folder = null!;

        public bool Recording { get; private init; }
        public FlowEventWriter Writer => _app.Services.GetRequiredService<FlowEventWriter>();

        public static async Task<Instance> StartAsync(bool recording)
        {
            var instance = new Instance { _folder = Directory.CreateTempSubdirectory("ll-bench-app-").FullName, Recording = recording };
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = BenchPaths.WebProject,
                EnvironmentName = "Production",
                ApplicationName = "LegacyLinking.Web",
            });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["LocalTenant:Enabled"] = "true", // the embedded tenant outside Development
                ["LocalTenant:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["LocalTenant:DataPath"] = Path.Combine(instance._folder, "localtenant.db"),
                ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(instance._folder, "app.db")}",
                ["Migration:Recording"] = recording ? "true" : "false",
                ["Auth0:UserCacheSeconds"] = "0", // every request asks the tenant, as this benchmark always measured
                ["Migration:DepnotePollSeconds"] = "0",
                ["Migration:JournalPath"] = Path.Combine(instance._folder, "journal"),
                ["Logging:LogLevel:Default"] = "Warning",
            });
            // Program.cs's composition, less sign-in and the pages (no browser here); the profile handler's reader.
            builder.AddAuth0Configuration();
            builder.AddEmbeddedLocalTenant();
            builder.AddAppDatabase();
            builder.AddSessionStore();
            builder.AddAuth0Clients();
            builder.AddFeatureFlags();
            builder.AddMigrationTracking();
            builder.AddTelemetry();
            builder.AddLinking();
            builder.AddPasswordResets();
            builder.Services.AddScoped<ProfileReader>();
            instance._app = builder.Build();
            await instance._app.StartAsync();
            if (instance._app.Services.GetRequiredService<FlowEventRecorder>().Enabled != recording)
                throw new InvalidOperationException("Migration:Recording was not applied.");
            await instance.RunRequestsAsync(); // tokens cached, connections open, JIT done
            while (instance.Writer.Written < (recording ? Requests : 0)) await Task.Delay(5);
            return instance;
        }

        public async Task RunRequestsAsync()
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
                    await RequestAsync(i);
            }));
        }

        private async Task RequestAsync(int i)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            if (i % 2 == 0)
            {
                var profiles = services.GetRequiredService<ProfileReader>();
                var profile = await profiles.ReadAsync(await profiles.FetchAsync(Ada, AdaSession, CancellationToken.None), CancellationToken.None);
                if (profile.Suggestions.Count == 0) throw new InvalidOperationException("Expected suggestions for Ada.");
            }
            else
            {
                var outcome = await services.GetRequiredService<LinkingService>().UnlinkAsync(new PrimaryUser(Ada, null, null), "github", "999", CancellationToken.None);
                if (outcome.ErrorCode != "not_your_identity") throw new InvalidOperationException($"Unexpected unlink outcome {outcome.Outcome} {outcome.ErrorCode}.");
                services.GetRequiredService<FlowEventRecorder>().Record(outcome, Ada);
            }
        }

        public async ValueTask DisposeAsync()
        {
            var recorder = _app.Services.GetRequiredService<FlowEventRecorder>();
            var writer = _app.Services.GetRequiredService<FlowEventWriter>();
            await _app.StopAsync();
            Console.WriteLine($"// recording {(recorder.Enabled ? "on" : "off")}: {writer.Written:N0} events written, {recorder.Dropped:N0} dropped, writer busy {writer.BusyTime.TotalMilliseconds:N0} ms ({(writer.Written == 0 ? 0 : writer.BusyTime.TotalMicroseconds / writer.Written):N1} µs per event)");
            await _app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }
}
