using System.Globalization;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Geometry of one operation's server-rendered SVG: a stacked bar per bucket (legacy under current, every bucket of the
/// range drawn, empty ones as a hairline on the axis), request counts on the left axis with round ticks, the legacy
/// share as a line on the right axis (0–100 %, broken where a bucket had no request), dates along the bottom.
/// </summary>
public sealed record ShareChart(
    string Operation, string Bucket, IReadOnlyList<ShareChart.Bar> Bars, IReadOnlyList<ShareChart.Tick> CountTicks,
    IReadOnlyList<ShareChart.Tick> ShareTicks, IReadOnlyList<ShareChart.DateTick> DateTicks, IReadOnlyList<string> ShareLines,
    long Legacy, long Current)
{
    public const int Width = 960, Height = 260;
    public const int Left = 52, Right = 52, Top = 14, Bottom = 44;
    public const int PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    public const double Baseline = Top + PlotHeight;

    /// <summary>At most this many date labels along the bottom.</summary>
    public const int MaxDateTicks = 12;

    public sealed record Bar(SharePoint Point, double X, double Width, double LegacyY, double LegacyHeight, double CurrentY, double CurrentHeight, double? ShareY)
    {
        public long Total => Point.Legacy + Point.Current;
        public double? Share => Total == 0 ? null : (double)Point.Legacy / Total;
    }

    public sealed record Tick(string Label, double Y);

    /// <summary>
    /// A date label under bucket <paramref name="Index"/>: the time or day, and the date or year below when it changes.
    /// Centred under its bucket, except near either end of the plot, where it is aligned to the bucket's outer edge so that
    /// it never reaches under the axis labels beside the plot.
    /// </summary>
    public sealed record DateTick(int Index, double X, string Line1, string? Line2, string Anchor = "middle", double? TextX = null)
    {
        public double LabelX => TextX ?? X;
    }

    /// <summary>A generous width of one character of the axis font (12 px), in the picture's units.</summary>
    private const double CharWidth = 7.5;

    public double? LegacyShare => Legacy + Current == 0 ? null : (double)Legacy / (Legacy + Current);

    public static ShareChart From(OperationShare share, string bucket)
    {
        var points = share.Points;
        var (step, top) = CountScale(points.Select(p => p.Legacy + p.Current).DefaultIfEmpty(0).Max());
        var slot = (double)PlotWidth / Math.Max(1, points.Count);
        var barWidth = Math.Max(0.5, slot * (points.Count > 60 ? 1.0 : 0.8));
        var bars = points.Select((p, i) =>
        {
            var legacy = PlotHeight * (double)p.Legacy / top;
            var current = PlotHeight * (double)p.Current / top;
            var total = p.Legacy + p.Current;
            double? shareY = total == 0 ? null : Top + PlotHeight * (1 - (double)p.Legacy / total);
            return new Bar(p, Left + i * slot + (slot - barWidth) / 2, barWidth, Baseline - legacy, legacy, Baseline - legacy - current, current, shareY);
        }).ToList();

        var countTicks = new List<Tick>();
        for (long value = 0; value <= top; value += step)
            countTicks.Add(new Tick(value.ToString("N0", CultureInfo.InvariantCulture), Baseline - PlotHeight * (double)value / top));
        var shareTicks = new[] { 0, 25, 50, 75, 100 }.Select(v => new Tick($"{v} %", Baseline - PlotHeight * v / 100.0)).ToList();

        return new ShareChart(share.Operation, bucket, bars, countTicks, shareTicks, LabelDates(points, bucket, slot), ShareRuns(bars, slot),
            points.Sum(p => p.Legacy), points.Sum(p => p.Current));
    }

    /// <summary>
    /// A round step (1, 2 or 5 × 10ⁿ, whole requests) giving at most five intervals, and the axis top: the first
    /// multiple of the step at or above the tallest bar (one step when every bucket is empty).
    /// </summary>
    public static (long Step, long Top) CountScale(long max)
    {
        if (max <= 0) return (1, 1);
        long step = 1;
        for (long magnitude = 1; ; magnitude *= 10)
        {
            var found = new[] { 1, 2, 5 }.Select(m => m * magnitude).FirstOrDefault(s => (max + s - 1) / s <= 5);
            if (found > 0) { step = found; break; }
        }
        return (step, (max + step - 1) / step * step);
    }

    /// <summary>
    /// Labels every k-th bucket, k the smallest round step (in hours: 1, 2, 3, 6, 12, then days; in days: 1, 2, then
    /// weeks; in weeks: 1, 2, 4, 8, 13, 26, 52) that keeps them to <see cref="MaxDateTicks"/>. Labels sit on round
    /// boundaries counted from Monday 1 January 2001, so they read 00:00, 06:00, 12:00 or every Monday, whatever the range.
    /// </summary>
    public static IReadOnlyList<DateTick> LabelDates(IReadOnlyList<SharePoint> points, string bucket, double slot)
    {
        if (points.Count == 0) return [];
        var steps = bucket switch
        {
            "hour" => new[] { 1, 2, 3, 6, 12, 24, 48, 168, 336, 672, 1344, 2688 },
            "day" => [1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456],
            _ => [1, 2, 4, 8, 13, 26, 52, 104, 260],
        };
        var k = steps.FirstOrDefault(s => points.Count / s < MaxDateTicks, steps[^1]);
        var ticks = new List<DateTick>();
        DateTime? previous = null;
        for (var i = 0; i < points.Count; i++)
        {
            var start = points[i].Start;
            if (BucketNumber(start, bucket) % k != 0) continue;
            var (line1, line2) = Label(start, previous, bucket);
            var x = Left + (i + 0.5) * slot;
            var half = Math.Max(line1.Length, line2?.Length ?? 0) * CharWidth / 2;
            ticks.Add(x - half < Left ? new DateTick(i, x, line1, line2, "start", Left + i * slot)
                : x + half > Width - Right ? new DateTick(i, x, line1, line2, "end", Left + (i + 1) * slot)
                : new DateTick(i, x, line1, line2));
            previous = start;
        }
        return ticks;
    }

    private static readonly DateTime Origin = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc); // a Monday

    private static long BucketNumber(DateTime start, string bucket) => bucket switch
    {
        "hour" => (long)(start - Origin).TotalHours,
        "day" => (long)(start - Origin).TotalDays,
        _ => (long)(start - Origin).TotalDays / 7,
    };

    /// <summary>Hours: the time, and the day below it on the first label of each day. Days and weeks: the day, and the year below it on the first label of each year.</summary>
    private static (string, string?) Label(DateTime start, DateTime? previous, string bucket) => bucket == "hour"
        ? (start.ToString("HH:mm", CultureInfo.InvariantCulture), previous?.Date == start.Date ? null : start.ToString("ddd d MMM", CultureInfo.InvariantCulture))
        : (start.ToString("d MMM", CultureInfo.InvariantCulture), previous?.Year == start.Year ? null : start.ToString("yyyy", CultureInfo.InvariantCulture));

    /// <summary>The share line's runs of consecutive buckets that had requests, as SVG polyline points.</summary>
    private static IReadOnlyList<string> ShareRuns(IReadOnlyList<Bar> bars, double slot)
    {
        var lines = new List<string>();
        var run = new List<string>();
        for (var i = 0; i <= bars.Count; i++)
        {
            if (i < bars.Count && bars[i].ShareY is { } y)
            {
                run.Add($"{Number(Left + (i + 0.5) * slot)},{Number(y)}");
                continue;
            }
            if (run.Count > 0) lines.Add(string.Join(' ', run));
            run.Clear();
        }
        return lines;
    }

    /// <summary>Where <paramref name="at"/> falls along the plot (a ramp's step marker), or null outside the chart's buckets.</summary>
    public double? XOf(DateTime at)
    {
        if (Bars.Count == 0) return null;
        var first = Bars[0].Point.Start;
        var end = TimeBuckets.Next(Bars[^1].Point.Start, Bucket);
        if (at < first || at >= end) return null;
        return Left + PlotWidth * ((at - first).TotalSeconds / (end - first).TotalSeconds);
    }

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Percent(double? share) => share is { } s ? (100 * s).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>The bucket's span in words, for titles and the data table.</summary>
    public static string Span(DateTime start, string bucket) => bucket switch
    {
        "hour" => start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "–" + start.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture),
        "day" => start.ToString("yyyy-MM-dd (ddd)", CultureInfo.InvariantCulture),
        _ => "week of " + start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
