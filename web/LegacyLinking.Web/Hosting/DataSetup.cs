using System.Data.Common;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LegacyLinking.Web.Hosting;

public static class DataSetup
{
    /// <summary>
    /// The app's database: SQLite by default (a file under App_Data), PostgreSQL with <c>Database:Provider=Postgres</c>.
    /// Migrations are applied at start (<see cref="DatabaseMigrator"/>); until they are, every connection waits for them.
    /// </summary>
    public static IHostApplicationBuilder AddAppDatabase(this IHostApplicationBuilder builder)
    {
        var database = builder.AddSettings<DatabaseOptions>(DatabaseOptions.Section);
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        var connectionString = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        var migrated = new MigrationBarrier();
        builder.Services.AddSingleton(migrated);
        if (database.Provider == DatabaseProvider.Postgres)
        {
            // Without a connection string the start check stops the app before anything connects.
            builder.Services.AddSingleton(DatabaseFile.None);
            builder.Services.AddDbContextFactory<PostgresAppDbContext>(o => o.UseNpgsql(connectionString ?? "").AddInterceptors(migrated));
            builder.Services.AddSingleton<IDbContextFactory<AppDbContext>, Upcast<PostgresAppDbContext>>();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = Path.Combine(builder.Environment.ContentRootPath, "App_Data");
                Directory.CreateDirectory(folder);
                connectionString = $"Data Source={Path.Combine(folder, "legacylinking.db")}";
            }
            connectionString = SqliteConnections.WithAppDefaults(connectionString);
            builder.Services.AddSingleton(DatabaseFile.Of(connectionString));
            builder.Services.AddDbContextFactory<SqliteAppDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance, migrated));
            builder.Services.AddSingleton<IDbContextFactory<AppDbContext>, Upcast<SqliteAppDbContext>>();
        }
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    /// <summary>
    /// Builds the app's EF Core model (and EF's own services for it) on another thread while the app configures its
    /// pipeline and checks its settings, so the migrator finds it ready instead of building it first (a quarter of a
    /// cold start's CPU before the first page; the start is otherwise one thread and the machine may have two cores).
    /// Nothing connects here: a failure is left to the migrator, which reports it as the start's failure.
    /// </summary>
    public static WebApplication BuildDatabaseModelInBackground(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        _ = Task.Run(() =>
        {
            try
            {
                using var db = factory.CreateDbContext();
                _ = db.Model;
                StartupTimeline.Mark("app: database model built");
            }
            catch (Exception)
            {
                // the migrator builds it again and fails the start with the reason
            }
        });
        return app;
    }

    /// <summary>Lets services ask for the provider-neutral context.</summary>
    private sealed class Upcast<T>(IDbContextFactory<T> inner) : IDbContextFactory<AppDbContext> where T : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

/// <summary>
/// Per-connection SQLite settings the migration writer's rate depends on. EF Core creates SQLite databases in WAL
/// mode; with <c>synchronous=NORMAL</c> a commit no longer waits for the disk, only checkpoints do (SQLite's documented
/// WAL trade-off: never corrupt, an OS crash or power cut may undo the last commits). A 32 MiB page cache (default
/// 2 MiB) keeps the hot pages of the events' indexes in memory as the table grows to millions of rows. Checkpoints
/// every 16,384 pages (64 MiB of WAL; default 1,000): each commit rewrites the user index's pages its events landed
/// on, and a rare checkpoint copies each page back once instead of once per commit (the writer went from ~19,000 to
/// ~24,000 events/s at 1M rows). The WAL file keeps its high-water size, up to about that much.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 16384";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Holds every connection to the app's database (an EF Core interceptor on both providers) until the migrations are
/// applied, so no query ever meets an old schema, while the app meanwhile starts listening and serves what needs no
/// database (the first page: on a fresh SQLite file the 12 migrations are a fifth of a cold start). The migrator's own
/// connections pass. A failed migration fails the waiting connections with its error, and the app's start.
/// </summary>
public sealed class MigrationBarrier : DbConnectionInterceptor
{
    private static readonly AsyncLocal<bool> Migrating = new();
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _open;

    /// <summary>Completes when the migrations are applied (faults when they failed).</summary>
    public Task Applied => _applied.Task;

    /// <summary>Runs <paramref name="migrate"/> with its connections let through, then opens (or fails) the barrier.</summary>
    public async Task MigrateAsync(Func<Task> migrate)
    {
        Migrating.Value = true;
        try
        {
            await migrate();
            _open = true;
            _applied.TrySetResult();
        }
        catch (Exception e)
        {
            _applied.TrySetException(e);
            throw;
        }
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (!_open && !Migrating.Value) _applied.Task.GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (!_open && !Migrating.Value) await _applied.Task.WaitAsync(cancellationToken);
        return result;
    }
}

/// <summary>
/// Brings the schema up to date as the app starts: beside the rest of the start and the first requests (connections
/// wait for it, <see cref="MigrationBarrier"/>); the app's start completes, or fails, with it.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<AppDbContext> factory, DatabaseFile file, MigrationBarrier barrier, ILogger<DatabaseMigrator> logger) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _migration = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        StartupTimeline.Mark("app: migrator");
        file.EnsureCreated(); // the app's own connections never create it
        _migration = Task.Run(() => barrier.MigrateAsync(() => MigrateAsync(_stopping.Token)), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
        await using var turn = await MigrationLock.TakeAsync(db, cancellationToken);
        StartupTimeline.Mark("app: migrator locked");
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        StartupTimeline.Mark("app: migrator pending");
        if (pending.Count == 0) return;
        logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
        StartupTimeline.Mark("app: migrated");
    }

    /// <summary>The server listens by now; the start completes once the schema is up to date, and fails if it cannot be.</summary>
    public Task StartedAsync(CancellationToken cancellationToken) => _migration.WaitAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A stop during the migration ends it, and waits for its lock to be given back.
        await _stopping.CancelAsync();
        try
        {
            await _migration;
        }
        catch (Exception)
        {
            // reported by the start
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
