namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Hourly totals the writer maintains beside the raw events, so the report reads thousands of rollup rows instead
/// of millions of events. One row per hour × operation × flow × outcome × error code × shadow verdict.
/// </summary>
public sealed class FlowRollup
{
    public DateTime Hour { get; set; }
    public string Operation { get; set; } = "";
    public string Flow { get; set; } = "";
    public string Outcome { get; set; } = "";
    /// <summary>Empty when there was none (keys cannot be null).</summary>
    public string ErrorCode { get; set; } = "";
    /// <summary>Empty when no shadow check ran.</summary>
    public string Shadow { get; set; } = "";
    public long Count { get; set; }
    public double SumMs { get; set; }
}

/// <summary>Hourly latency histogram per operation and flow (p50/p95 come from it).</summary>
public sealed class LatencyRollup
{
    public DateTime Hour { get; set; }
    public string Operation { get; set; } = "";
    public string Flow { get; set; } = "";
    public int Bucket { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// Which users used a flow in a month, and on which of its days (UTC): bit d−1 of <see cref="Days"/> is day d. Distinct
/// users over a range count these rows (one per user and flow a month, however many days and events) with the range's
/// days masked, so the report's cost follows users × months, not user-days.
/// </summary>
public sealed class FlowUserMonth
{
    /// <summary>The month's first day, 00:00 UTC.</summary>
    public DateTime Month { get; set; }
    public string Operation { get; set; } = "";
    public string Flow { get; set; } = "";
    public string UserId { get; set; } = "";
    public int Days { get; set; }
}

/// <summary>Month rows and day masks of <see cref="FlowUserMonth"/>.</summary>
public static class UserMonths
{
    public static DateTime Month(DateTime at) => new(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    public static int DayBit(DateTime at) => 1 << (at.Day - 1);

    /// <summary>The bits of the days <paramref name="first"/> to <paramref name="last"/> (inclusive, one month).</summary>
    public static int DayBits(DateTime first, DateTime last) => (int)(((1L << last.Day) - 1) & ~((1L << (first.Day - 1)) - 1));

    /// <summary>
    /// The rows of users active on a day of [<paramref name="from"/>, <paramref name="to"/>): whole days, from the day
    /// holding <paramref name="from"/> to the last day starting before <paramref name="to"/>.
    /// </summary>
    public static IQueryable<FlowUserMonth> ActiveIn(IQueryable<FlowUserMonth> rows, DateTime from, DateTime to)
    {
        var firstDay = DateTime.SpecifyKind(from.Date, DateTimeKind.Utc);
        var lastDay = DateTime.SpecifyKind(to.AddTicks(-1).Date, DateTimeKind.Utc);
        if (lastDay < firstDay) return rows.Where(_ => false);
        var firstMonth = Month(firstDay);
        var lastMonth = Month(lastDay);
        if (firstMonth == lastMonth)
        {
            var mask = DayBits(firstDay, lastDay);
            return rows.Where(u => u.Month == firstMonth && (u.Days & mask) != 0);
        }
        var firstMask = DayBits(firstDay, firstMonth.AddMonths(1).AddDays(-1));
        var lastMask = DayBits(lastMonth, lastDay);
        return rows.Where(u => (u.Month == firstMonth && (u.Days & firstMask) != 0)
                               || (u.Month > firstMonth && u.Month < lastMonth)
                               || (u.Month == lastMonth && (u.Days & lastMask) != 0));
    }
}

/// <summary>A tenant log event of type <c>depnote</c> (use of a deprecated feature), read from <c>GET /api/v2/logs</c>.</summary>
public sealed class TenantLogEvent
{
    public string LogId { get; set; } = "";
    public DateTime Date { get; set; }
    public string Type { get; set; } = "";

    /// <summary><see cref="DeprecationFeatures"/>' key for the description, or <see cref="DeprecationFeatures.Unrecognised"/>.</summary>
    public string? Feature { get; set; }
    public string? Description { get; set; }

    /// <summary>The application that used the feature (Auth0's <c>client_id</c>, <c>client_name</c>).</summary>
    public string? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? UserId { get; set; }
}

/// <summary>Where a background job left off (e.g. the last ingested tenant log id).</summary>
public sealed class IngestionCheckpoint
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Latency buckets in milliseconds (upper bounds); the last one is open-ended.</summary>
public static class LatencyBuckets
{
    public static readonly double[] UpperBounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, double.PositiveInfinity];

    public static int Of(double milliseconds)
    {
        for (var i = 0; i < UpperBounds.Length; i++)
            if (milliseconds <= UpperBounds[i]) return i;
        return UpperBounds.Length - 1;
    }

    /// <summary>The upper bound of the bucket holding the q-quantile (0..1) of the histogram; null when empty.</summary>
    public static double? Quantile(IReadOnlyDictionary<int, long> histogram, double q)
    {
        var total = histogram.Values.Sum();
        if (total == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        foreach (var (bucket, count) in histogram.OrderBy(h => h.Key))
        {
            seen += count;
            if (seen >= rank) return UpperBounds[bucket];
        }
        return UpperBounds[^1];
    }
}
