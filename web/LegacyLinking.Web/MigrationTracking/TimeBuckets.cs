namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The chart's buckets (UTC): hours, days, and weeks starting on Monday (ISO 8601).</summary>
public static class TimeBuckets
{
    public static DateTime Floor(DateTime at, string bucket) => bucket switch
    {
        "week" => Day(at).AddDays(-(((int)at.DayOfWeek + 6) % 7)),
        "day" => Day(at),
        _ => RollupWriter.Hour(at),
    };

    public static DateTime Next(DateTime start, string bucket) => bucket switch
    {
        "week" => start.AddDays(7),
        "day" => start.AddDays(1),
        _ => start.AddHours(1),
    };

    private static DateTime Day(DateTime at) => new(at.Year, at.Month, at.Day, 0, 0, 0, DateTimeKind.Utc);
}
