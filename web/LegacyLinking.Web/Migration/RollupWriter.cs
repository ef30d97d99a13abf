using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Folds a batch of events into the hourly rollups with atomic upserts (<c>INSERT … ON CONFLICT … DO UPDATE</c>, the
/// same SQL on SQLite and PostgreSQL), so several app instances can write to one database without losing counts.
/// </summary>
public static class RollupWriter
{
    public static async Task ApplyAsync(AppDbContext db, IReadOnlyCollection<FlowEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var group in batch.GroupBy(e => (Hour: Hour(e.At), e.Operation, e.Flow, e.Outcome, ErrorCode: e.ErrorCode ?? "", Shadow: e.Shadow ?? "")))
        {
            var (hour, operation, flow, outcome, errorCode, shadow) = group.Key;
            long count = group.LongCount();
            var sum = group.Sum(e => e.DurationMs);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "flow_rollups" ("Hour", "Operation", "Flow", "Outcome", "ErrorCode", "Shadow", "Count", "SumMs")
                VALUES ({hour}, {operation}, {flow}, {outcome}, {errorCode}, {shadow}, {count}, {sum})
                ON CONFLICT ("Hour", "Operation", "Flow", "Outcome", "ErrorCode", "Shadow")
                DO UPDATE SET "Count" = "flow_rollups"."Count" + excluded."Count", "SumMs" = "flow_rollups"."SumMs" + excluded."SumMs"
                """, cancellationToken);
        }

        foreach (var group in batch.GroupBy(e => (Hour: Hour(e.At), e.Operation, e.Flow, Bucket: LatencyBuckets.Of(e.DurationMs))))
        {
            var (hour, operation, flow, bucket) = group.Key;
            long count = group.LongCount();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "latency_rollups" ("Hour", "Operation", "Flow", "Bucket", "Count")
                VALUES ({hour}, {operation}, {flow}, {bucket}, {count})
                ON CONFLICT ("Hour", "Operation", "Flow", "Bucket")
                DO UPDATE SET "Count" = "latency_rollups"."Count" + excluded."Count"
                """, cancellationToken);
        }

        foreach (var (day, operation, flow, user) in batch.Select(e => (Day: e.At.Date, e.Operation, e.Flow, e.UserId)).Distinct())
        {
            var utcDay = DateTime.SpecifyKind(day, DateTimeKind.Utc);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "flow_user_days" ("Day", "Operation", "Flow", "UserId") VALUES ({utcDay}, {operation}, {flow}, {user})
                ON CONFLICT ("Day", "Operation", "Flow", "UserId") DO NOTHING
                """, cancellationToken);
        }
    }

    public static DateTime Hour(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);
}
