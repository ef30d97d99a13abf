using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>
/// The database a migration test runs on. Each <see cref="StartAsync"/> gives the app's data services (recorder,
/// writer, report) on a fresh database that the app migrates from scratch at start, as it does in production.
/// </summary>
public abstract class MigrationStore
{
    public abstract string Provider { get; }

    public abstract Task<AppDataHost> StartAsync(IDictionary<string, string?>? settings = null);

    public override string ToString() => Provider;
}

/// <summary>A SQLite file in a fresh temp folder (the app's default store).</summary>
public sealed class SqliteStore : MigrationStore
{
    public override string Provider => "Sqlite";

    public override Task<AppDataHost> StartAsync(IDictionary<string, string?>? settings = null) => AppDataHost.StartAsync(settings);
}

/// <summary>A fresh database in the test run's throwaway PostgreSQL cluster.</summary>
public sealed class PostgresStore(PostgresFixture postgres) : MigrationStore
{
    public override string Provider => "Postgres";

    public override async Task<AppDataHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        await AppDataHost.StartAsync(settings, connectionString: await postgres.CreateDatabaseAsync("migration"), provider: Provider);
}
