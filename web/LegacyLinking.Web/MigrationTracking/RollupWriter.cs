using System.Data;
using LegacyLinking.Web.Data;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Folds a batch of events into the hourly rollups with atomic upserts (<c>INSERT … ON CONFLICT … DO UPDATE</c>, the
/// same SQL on SQLite and PostgreSQL), so several app instances can write to one database without losing counts.
/// Rows are grouped first, so each key appears once per statement (PostgreSQL refuses to update a row twice in one).
/// </summary>
public static class RollupWriter
{
    /// <summary>Upserts the batch's rollups; answers the user days it wrote, for <see cref="UserDaysWritten.Remember"/> once committed.</summary>
    public static async Task<IReadOnlyList<UserDay>> ApplyAsync(AppDbContext db, IReadOnlyCollection<FlowEvent> batch, UserDaysWritten? written, CancellationToken cancellationToken)
    {
        var rollups = batch.GroupBy(e => (Hour: Hour(e.At), e.Operation, e.Flow, e.Outcome, ErrorCode: e.ErrorCode ?? "", Shadow: e.Shadow ?? ""))
            .Select(g => new object?[] { g.Key.Hour, g.Key.Operation, g.Key.Flow, g.Key.Outcome, g.Key.ErrorCode, g.Key.Shadow, g.LongCount(), g.Sum(e => e.DurationMs) })
            .ToList();
        await MultiRowInsert.ExecuteAsync(db, """
            INSERT INTO "flow_rollups" ("Hour", "Operation", "Flow", "Outcome", "ErrorCode", "Shadow", "Count", "SumMs")
            """, [DbType.DateTime, DbType.String, DbType.String, DbType.String, DbType.String, DbType.String, DbType.Int64, DbType.Double], rollups, """
            ON CONFLICT ("Hour", "Operation", "Flow", "Outcome", "ErrorCode", "Shadow")
            DO UPDATE SET "Count" = "flow_rollups"."Count" + excluded."Count", "SumMs" = "flow_rollups"."SumMs" + excluded."SumMs"
            """, cancellationToken);

        var latency = batch.GroupBy(e => (Hour: Hour(e.At), e.Operation, e.Flow, Bucket: LatencyBuckets.Of(e.DurationMs)))
            .Select(g => new object?[] { g.Key.Hour, g.Key.Operation, g.Key.Flow, g.Key.Bucket, g.LongCount() })
            .ToList();
        await MultiRowInsert.ExecuteAsync(db, """
            INSERT INTO "latency_rollups" ("Hour", "Operation", "Flow", "Bucket", "Count")
            """, [DbType.DateTime, DbType.String, DbType.String, DbType.Int32, DbType.Int64], latency, """
            ON CONFLICT ("Hour", "Operation", "Flow", "Bucket")
            DO UPDATE SET "Count" = "latency_rollups"."Count" + excluded."Count"
            """, cancellationToken);

        // Users: the days this writer has not stored yet, as day bits OR-ed into each user's month row.
        var userDays = batch.Select(e => new UserDay(DateTime.SpecifyKind(e.At.Date, DateTimeKind.Utc), e.Operation, e.Flow, e.UserId)).Distinct()
            .Where(u => written?.Contains(u) != true)
            .ToList();
        var userMonths = userDays.GroupBy(u => (Month: UserMonths.Month(u.Day), u.Operation, u.Flow, u.UserId))
            .Select(g => new object?[] { g.Key.Month, g.Key.Operation, g.Key.Flow, g.Key.UserId, g.Aggregate(0, (days, u) => days | UserMonths.DayBit(u.Day)) })
            .ToList();
        await MultiRowInsert.ExecuteAsync(db, """
            INSERT INTO "flow_user_months" ("Month", "Operation", "Flow", "UserId", "Days")
            """, [DbType.DateTime, DbType.String, DbType.String, DbType.String, DbType.Int32], userMonths, """
            ON CONFLICT ("Month", "Operation", "Flow", "UserId") DO UPDATE SET "Days" = "flow_user_months"."Days" | excluded."Days"
            """, cancellationToken);
        return userDays;
    }

    public static DateTime Hour(DateTime at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);
}

public readonly record struct UserDay(DateTime Day, string Operation, string Flow, string UserId);

/// <summary>
/// The user days one writer has stored (in <see cref="FlowUserMonth"/>): each is written once however many events
/// follow, so later batches skip the ones it knows (the upsert still settles races with other instances). Bounded: it forgets everything when
/// a new day starts or past <see cref="MaxRows"/>. Not thread-safe: one writer loop owns it.
/// </summary>
public sealed class UserDaysWritten
{
    public const int MaxRows = 100_000;
    private readonly HashSet<UserDay> _rows = [];
    private DateTime _latestDay;

    public bool Contains(UserDay row) => _rows.Contains(row);

    /// <summary>Call only once the rows are committed.</summary>
    public void Remember(IReadOnlyList<UserDay> rows)
    {
        foreach (var row in rows)
        {
            if (row.Day > _latestDay || _rows.Count >= MaxRows)
            {
                _rows.Clear();
                if (row.Day > _latestDay) _latestDay = row.Day;
            }
            _rows.Add(row);
        }
    }
}
