using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Hosting;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;
using LegacyLinking.Web.Profile;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Bench;

/// <summary>
/// (a) What recording costs a request. The real app's services, composed as Program.cs composes them and configured
/// by its appsettings.json (flags: legacy flows, shadow check and suggestions on), talk over loopback HTTP to the
/// real local tenant, on a real SQLite file. A "request" runs the profile page's handler work (GET the user and the
/// users with the same email from the Management API, record the suggestion lookup) or the unlink handler's
/// (flags, fresh read from the tenant, guards, shadow check, record the refusal), in its own DI scope as a request
/// would, 8 at a time. Recording on, the events go through the bounded queue to the background writer (inserts and
/// rollup upserts into SQLite) on the same two cores; off (<c>Migration:Recording=false</c>) nothing is recorded.
/// Ratio = time per request on / off; the throughput ratio is its inverse.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 20)]
public class RecordingOverheadBenchmarks
{
    private const int Requests = 512;
    private const int Concurrency = 8;
    private const string Ada = "auth0|5f7c8ec7c33c6c004bbafe82";

    private WebApplication _app = null!;
    private string _folder = null!;

    [GlobalSetup(Target = nameof(RecordingOff))]
    public Task SetupOffAsync() => StartAsync(recording: false);

    [GlobalSetup(Target = nameof(RecordingOn))]
    public Task SetupOnAsync() => StartAsync(recording: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task RecordingOff() => RunRequestsAsync();

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task RecordingOn() => RunRequestsAsync();

    private async Task StartAsync(bool recording)
    {
        _folder = Directory.CreateTempSubdirectory("ll-bench-app-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = BenchPaths.WebProject,
            EnvironmentName = "Production",
            ApplicationName = "LegacyLinking.Web",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["LocalTenant:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["LocalTenant:DataPath"] = Path.Combine(_folder, "localtenant.db"),
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(_folder, "app.db")}",
            ["Migration:Recording"] = recording ? "true" : "false",
            ["Migration:DepnotePollSeconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        // Program.cs's composition, less sign-in and the pages (no browser here); the profile handler's reader.
        builder.AddAuth0Configuration();
        builder.AddEmbeddedLocalTenant();
        builder.AddAppDatabase();
        builder.AddAuth0Clients();
        builder.AddFeatureFlags();
        builder.AddMigrationTracking();
        builder.AddTelemetry();
        builder.AddLinking();
        builder.Services.AddScoped<ProfileReader>();
        _app = builder.Build();
        await _app.StartAsync();
        if (_app.Services.GetRequiredService<FlowEventRecorder>().Enabled != recording) throw new InvalidOperationException("Migration:Recording was not applied.");
        await RunRequestsAsync(); // tokens cached, connections open, JIT done
    }

    private async Task RunRequestsAsync()
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
            var profile = await services.GetRequiredService<ProfileReader>().ReadAsync(Ada, CancellationToken.None);
            if (profile.Suggestions.Count == 0) throw new InvalidOperationException("Expected suggestions for Ada.");
        }
        else
        {
            var outcome = await services.GetRequiredService<LinkingService>().UnlinkAsync(new PrimaryUser(Ada, null, null), "github", "999", CancellationToken.None);
            if (outcome.ErrorCode != "not_your_identity") throw new InvalidOperationException($"Unexpected unlink outcome {outcome.Outcome} {outcome.ErrorCode}.");
            services.GetRequiredService<FlowEventRecorder>().Record(outcome, Ada);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var recorder = _app.Services.GetRequiredService<FlowEventRecorder>();
        var writer = _app.Services.GetRequiredService<FlowEventWriter>();
        await _app.StopAsync();
        Console.WriteLine($"// recording {(recorder.Enabled ? "on" : "off")}: {writer.Written:N0} events written, {recorder.Dropped:N0} dropped");
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
