using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LegacyLinking.Web.Health;

/// <summary>
/// The app's database answers and takes a write: a row is written in a transaction that is then rolled back (a locked
/// SQLite file, a read-only or full disk, a PostgreSQL standby all fail here), and a SQLite file is still where it was.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<AppDbContext> databases, DatabaseFile file, TimeProvider clock) : IHealthCheck
{
    /// <summary>A probe answers within its load balancer's timeout: a database slower than this counts as not answering.</summary>
    private const int TimeoutSeconds = 2;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (file.CheckVanished(clock))
            return HealthCheckResult.Unhealthy($"The database file is gone (since {file.VanishedAt:yyyy-MM-dd HH:mm:ss} UTC): records wait in the journal.");
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.Database.SetCommandTimeout(TimeoutSeconds);
            // SQLite's BEGIN waits for a write lock the connection's default time (5 s), not the command timeout.
            if (db.Database.GetDbConnection() is SqliteConnection sqlite) sqlite.DefaultTimeout = TimeoutSeconds;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(TimeoutSeconds + 1));
            await using var transaction = await db.Database.BeginTransactionAsync(timeout.Token);
            db.RecordJournalReplays.Add(new RecordJournalReplay { File = "health-check", ReplayedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(timeout.Token);
            await transaction.RollbackAsync(timeout.Token);
            return HealthCheckResult.Healthy("The database answers and takes writes.");
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The database does not answer or does not take writes ({e.GetBaseException().GetType().Name}).");
        }
    }
}
