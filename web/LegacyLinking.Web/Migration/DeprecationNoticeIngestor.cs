using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Copies the tenant's <c>depnote</c> log events (uses of deprecated features, also by clients that never go through
/// this app) into the app's database, resuming from a persisted checkpoint and waiting out rate limits.
/// </summary>
public sealed class DeprecationNoticeIngestor(
    IServiceScopeFactory scopes,
    IDbContextFactory<AppDbContext> databases,
    DepnotePolling polling,
    TimeProvider clock,
    Health.IngestionStatus status,
    ILogger<DeprecationNoticeIngestor> logger) : BackgroundService
{
    public const string CheckpointName = "tenant-logs:depnote";
    private const int PageSize = 100;

    public int LastFetched { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = polling.Interval;
        if (interval <= TimeSpan.Zero) return; // switched off
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                await IngestOnceAsync(stoppingToken);
                status.Succeeded();
            }
            catch (RateLimitApiException limited)
            {
                status.Failed("the tenant's logs are rate-limited");
                var reset = limited.RateLimit.Reset is { } at ? at - clock.GetUtcNow() : TimeSpan.FromSeconds(limited.RateLimit.RetryAfter);
                wait = reset > TimeSpan.Zero ? reset + TimeSpan.FromSeconds(1) : interval;
                logger.LogInformation("Tenant logs are rate-limited; next read in {Wait}.", wait);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Never let a tenant or database hiccup stop the app: try again at the next interval.
                logger.LogWarning("Could not read the tenant's depnote logs: {Error}", e.Message);
                status.Failed(e switch
                {
                    ErrorApiException api => $"the tenant answered {(int)api.StatusCode}",
                    TenantUnavailableException => "the tenant did not answer",
                    _ when DatabaseFailures.IsUnavailable(e) => "the database did not answer",
                    _ => e.GetType().Name,
                });
            }
            await Task.Delay(wait, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Reads every depnote after the checkpoint, page by page; returns how many were new.</summary>
    public async Task<int> IngestOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var logs = scope.ServiceProvider.GetRequiredService<ManagementApiClient>().Logs;
        var total = 0;
        while (true)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var checkpoint = await db.IngestionCheckpoints.FindAsync([CheckpointName], cancellationToken);
            var page = await logs.GetAllAsync("type:depnote", checkpoint?.Value, PageSize, cancellationToken);
            LastFetched = page.Count;
            if (page.Count == 0) return total;

            var ids = page.Select(p => p.LogId).ToList();
            var known = await db.TenantLogEvents.Where(e => ids.Contains(e.LogId)).Select(e => e.LogId).ToListAsync(cancellationToken);
            foreach (var entry in page.Where(p => p.Type == "depnote" && !known.Contains(p.LogId)))
            {
                db.TenantLogEvents.Add(new TenantLogEvent
                {
                    LogId = entry.LogId, Date = entry.Date.UtcDateTime, Type = entry.Type, ClientId = entry.ClientId, UserId = entry.UserId,
                    Feature = entry.Details?["feature"] is System.Text.Json.Nodes.JsonValue feature && feature.TryGetValue<string>(out var name) ? name : null,
                    Description = entry.Description is { Length: > 512 } d ? d[..512] : entry.Description,
                });
                total++;
            }
            if (checkpoint is null) db.IngestionCheckpoints.Add(checkpoint = new IngestionCheckpoint { Name = CheckpointName });
            checkpoint.Value = page[^1].LogId;
            checkpoint.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            if (page.Count < PageSize) return total;
        }
    }
}

/// <summary>How often the tenant's deprecation notices are read (<c>Migration:DepnotePollSeconds</c>; 0 switches it off).</summary>
public sealed record DepnotePolling(TimeSpan Interval)
{
    public const int DefaultSeconds = 60;
}
