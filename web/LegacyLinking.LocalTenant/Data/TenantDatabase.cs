using LegacyLinking.LocalTenant.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// Creates the demo database on first use and keeps it in step with configuration. There are no EF migrations for the
/// tenant: when <see cref="SchemaVersion"/> changes the old file is dropped and recreated from the seed.
/// </summary>
public sealed class TenantDatabase(IServiceScopeFactory scopes, ILogger<TenantDatabase> logger)
{
    /// <summary>Bump whenever an entity or the seed's meaning changes.</summary>
    public const int SchemaVersion = 6;
    private const string SchemaVersionKey = "schema_version";

    private readonly Lazy<Task> _initialized = new(() => InitializeAsync(scopes, logger));

    /// <summary>Idempotent; the first caller (startup, or the key store) does the work, everyone else waits for it.</summary>
    public Task EnsureInitializedAsync() => _initialized.Value;

    public void EnsureInitialized() => EnsureInitializedAsync().GetAwaiter().GetResult();

    private static async Task InitializeAsync(IServiceScopeFactory scopes, ILogger logger)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();

        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);

        if (File.Exists(file) && await ReadSchemaVersionAsync(db) != SchemaVersion)
        {
            logger.LogWarning(
                "The local tenant database {File} has an older schema; recreating it from the seed (demo data is reset).",
                file);
            await db.Database.EnsureDeletedAsync();
        }

        StartupTimeline.Mark("tenant: ensure created");
        var created = await db.Database.EnsureCreatedAsync();
        StartupTimeline.Mark("tenant: created");
        if (created)
        {
            // Concurrent readers (browser + app back-channel) must not block on the writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            db.Meta.Add(new TenantMeta { Key = SchemaVersionKey, Value = SchemaVersion.ToString() });
            await db.SaveChangesAsync();
        }

        var seeder = scope.ServiceProvider.GetRequiredService<TenantSeeder>();
        await seeder.SeedAsync(db, seedUsers: created);
        StartupTimeline.Mark("tenant: seeded");
    }

    private static async Task<int?> ReadSchemaVersionAsync(TenantDbContext db)
    {
        try
        {
            var row = await db.Meta.AsNoTracking().SingleOrDefaultAsync(m => m.Key == SchemaVersionKey);
            return int.TryParse(row?.Value, out var version) ? version : null;
        }
        catch (SqliteException)
        {
            return null; // not a tenant database, or one from before the version was stored
        }
    }
}
