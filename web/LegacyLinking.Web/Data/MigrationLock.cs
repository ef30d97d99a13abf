using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace LegacyLinking.Web.Data;

/// <summary>
/// Instances that start together on a fresh PostgreSQL database take turns at applying the migrations: EF Core's own
/// lock on the history table comes too late there (both find every migration pending, and the second fails on a
/// table the first created). A session-level advisory lock, held on a connection of its own for as long as the
/// migrations run, makes the second wait, then find nothing pending. SQLite needs none (EF Core locks the file).
/// </summary>
public static class MigrationLock
{
    /// <summary>Any fixed number, the same on every instance: "LLMIGRAT".</summary>
    private const long Key = 0x4C4C4D4947524154;

    public static async Task<IAsyncDisposable?> TakeAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql()) return null;
        await CreateDatabaseIfMissingAsync(db, cancellationToken);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lock lives in the database, so it must exist first (as EF Core would create it when migrating).</summary>
    private static async Task CreateDatabaseIfMissingAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken)) return;
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance created it meanwhile.
        }
    }

    /// <summary>Closing the connection ends its session, and with it the lock.</summary>
    private sealed class Held(DbConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
