using LegacyLinking.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The app's data services (database with migrations, migration tracking, flags) on a real database without the web
/// front: for tests of the recorder, the writer and the report.
/// </summary>
public sealed class AppDataHost : IAsyncDisposable
{
    private AppDataHost(WebApplication app, string folder, string connectionString)
    {
        App = app;
        Folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>The database's connection string, for another host on the same database.</summary>
    public string ConnectionString { get; }

    public WebApplication App { get; }
    public string Folder { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<AppDataHost> StartAsync(IDictionary<string, string?>? settings = null, string? connectionString = null, string provider = "Sqlite")
    {
        var folder = Directory.CreateTempSubdirectory("ll-data-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Migration:DepnotePollSeconds"] = "0",
            ["ConnectionStrings:LegacyLinking"] = connectionString ??= $"Data Source={Path.Combine(folder, "app.db")}",
            ["Migration:JournalPath"] = Path.Combine(folder, "journal"),
            // Ramp tests drive their own engines (on a fake clock); the host's plans still shape the flags.
            ["Ramp:Engine"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(AppFlagDefinitions());
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddAuth0Configuration();
        builder.AddAppDatabase();
        builder.AddFeatureFlags();
        builder.AddMigrationTracking();
        builder.AddRamp();
        var app = builder.Build();
        await app.StartAsync();
        return new AppDataHost(app, folder, connectionString);
    }

    /// <summary>The app's own flag definitions (its appsettings.json), which the flags' start check requires.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> AppFlagDefinitions() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build()
            .GetSection("feature_management").AsEnumerable();

    public async Task StopAsync() => await App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
