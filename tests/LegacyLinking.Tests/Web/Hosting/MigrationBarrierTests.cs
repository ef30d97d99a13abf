using LegacyLinking.Web.Data;
using LegacyLinking.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>
/// Cold start: the app listens while its migrations apply (bench/README.md); every connection but the migrator's waits
/// for them, so no query meets a missing or old schema.
/// </summary>
public sealed class MigrationBarrierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ll-barrier-").FullName;

    private SqliteAppDbContext Context(MigrationBarrier barrier) => new(new DbContextOptionsBuilder<SqliteAppDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_folder, "app.db")}").AddInterceptors(barrier).Options);

    [Fact]
    public async Task A_query_during_the_migrations_waits_for_them_and_then_finds_the_schema()
    {
        var barrier = new MigrationBarrier();
        await using var page = Context(barrier);
        var query = page.FlagOverrides.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(query.IsCompleted, "the query ran before the migrations were applied");

        await using var migrator = Context(barrier);
        await barrier.MigrateAsync(() => migrator.Database.MigrateAsync(TestContext.Current.CancellationToken));

        Assert.Empty(await query);
        Assert.Empty(await page.DataProtectionKeys.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_failed_migration_fails_the_waiting_query_with_its_error()
    {
        var barrier = new MigrationBarrier();
        await using var page = Context(barrier);
        var query = page.FlagOverrides.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidOperationException>(() => barrier.MigrateAsync(() => throw new InvalidOperationException("disk full")));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => query);
        Assert.Contains("disk full", error.GetBaseException().Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
