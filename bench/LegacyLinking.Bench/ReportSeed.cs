using System.Diagnostics;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Bench;

/// <summary>
/// A million events over 30 days, recorded through the app's own recorder and writer (so the rollups are exactly the
/// writer's), into SQLite or into PostgreSQL. Seeded once and kept under <see cref="BenchPaths.SeedFolder"/>: the
/// next benchmark process (or run) opens it again; a seed that did not finish is thrown away and made again.
/// </summary>
public sealed class ReportSeed : IAsyncDisposable
{
    public const int Events = 1_000_000;
    public static readonly DateTime End = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Start = End.AddDays(-30);
    private const string Version = "v1";

    private ReportSeed(AppDataHost host, PostgresCluster? cluster)
    {
        Host = host;
        Cluster = cluster;
    }

    public AppDataHost Host { get; }
    public PostgresCluster? Cluster { get; }
    public IDbContextFactory<AppDbContext> Databases => Host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private static readonly Dictionary<string, string?> Quiet = new() { ["Logging:LogLevel:Default"] = "Warning", ["Migration:DepnotePollSeconds"] = "0" };

    public static async Task<ReportSeed> OpenAsync(string provider)
    {
        // Named after the seed and the schema (the provider's latest migration): another schema seeds again.
        var prefix = $"{provider.ToLowerInvariant()}-{Events}-";
        var folder = Path.Combine(BenchPaths.SeedFolder, prefix + $"{Version}-{LatestMigration(provider)}");
        var marker = Path.Combine(folder, "seeded");
        if (!File.Exists(marker) && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        if (Directory.Exists(BenchPaths.SeedFolder))
            foreach (var stale in Directory.GetDirectories(BenchPaths.SeedFolder, prefix + "*").Where(d => d != folder))
                Directory.Delete(stale, recursive: true);
        Directory.CreateDirectory(folder);

        PostgresCluster? cluster = null;
        string connectionString;
        if (provider == "Postgres")
        {
            cluster = await PostgresCluster.StartAsync(Path.Combine(folder, "pg"), ["shared_buffers = 256MB", "work_mem = 16MB"]);
            connectionString = File.Exists(marker) ? cluster.ConnectionString("report") : await cluster.CreateDatabaseAsync("report");
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(folder, "report.db")}";
        }

        if (!File.Exists(marker))
        {
            await SeedAsync(provider, connectionString, cluster);
            await File.WriteAllTextAsync(marker, $"{Events} events from {Start:O} to {End:O}");
        }
        return new ReportSeed(await AppDataHost.StartAsync(Quiet, connectionString, provider), cluster);
    }

    private static string LatestMigration(string provider)
    {
        using AppDbContext db = provider == "Postgres" ? new PostgresDesignTimeFactory().CreateDbContext([]) : new SqliteDesignTimeFactory().CreateDbContext([]);
        return db.Database.GetMigrations().Last();
    }

    private static async Task SeedAsync(string provider, string connectionString, PostgresCluster? cluster)
    {
        Console.WriteLine($"// seeding {Events:N0} events into {provider} through the app's writer…");
        var started = Stopwatch.StartNew();
        var host = await AppDataHost.StartAsync(Quiet, connectionString, provider);
        var recorder = host.Services.GetRequiredService<FlowEventRecorder>();
        var recorded = 0;
        foreach (var e in new EventMix().Spread(Start, End - Start, Events))
        {
            while (recorder.Pending >= FlowEventRecorder.DefaultCapacity - 1) await Task.Delay(1);
            recorder.Record(e);
            if (++recorded % 100_000 == 0) Console.WriteLine($"//   {recorded:N0} after {started.Elapsed.TotalSeconds:N0} s");
        }
        await host.StopAsync();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var rows = await db.FlowEvents.LongCountAsync();
            if (rows != Events || recorder.Dropped != 0) throw new InvalidOperationException($"Seeding lost events: {rows:N0} rows, {recorder.Dropped:N0} dropped.");
            // PostgreSQL's autovacuum would analyse the fresh tables on its own, at some moment during the measurements.
            if (cluster is not null) await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
        }
        await host.DisposeAsync();
        Console.WriteLine($"// seeded in {started.Elapsed.TotalSeconds:N0} s");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
