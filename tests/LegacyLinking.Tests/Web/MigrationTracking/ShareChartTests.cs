using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>The chart's geometry against hand-computed figures (plot 856 × 202 px from x 52, y 14; baseline y 216).</summary>
public sealed class ShareChartTests
{
    private static readonly DateTime Friday10 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    private static OperationShare Hours(DateTime start, params (long Legacy, long Current)[] counts) =>
        new("link", counts.Select((c, i) => new SharePoint(start.AddHours(i), c.Legacy, c.Current)).ToList());

    [Fact]
    public void Every_bucket_is_a_bar_scaled_to_round_ticks_with_the_legacy_share_as_a_line()
    {
        var chart = ShareChart.From(Hours(Friday10, (2, 0), (2, 1), (0, 2), (0, 0), (0, 0), (1, 1)), "hour");

        // Tallest bar 3 → ticks 0, 1, 2, 3 (step 1), each 202/3 px apart.
        Assert.Equal(["0", "1", "2", "3"], chart.CountTicks.Select(t => t.Label));
        Assert.Equal([216, 148.67, 81.33, 14], chart.CountTicks.Select(t => Math.Round(t.Y, 2)));
        Assert.Equal(["0 %", "25 %", "50 %", "75 %", "100 %"], chart.ShareTicks.Select(t => t.Label));
        Assert.Equal([216, 165.5, 115, 64.5, 14], chart.ShareTicks.Select(t => t.Y));

        // Six slots of 856/6 = 142.67 px, bars 80 % of a slot, centred; the empty hours are bars too.
        Assert.Equal(6, chart.Bars.Count);
        var first = chart.Bars[0];
        Assert.Equal((66.27, 114.13), (Math.Round(first.X, 2), Math.Round(first.Width, 2)));
        Assert.Equal((81.33, 134.67, 81.33, 0.0), (Math.Round(first.LegacyY, 2), Math.Round(first.LegacyHeight, 2), Math.Round(first.CurrentY, 2), first.CurrentHeight));
        var second = chart.Bars[1]; // 2 legacy under 1 current: 134.67 + 67.33 = the whole plot
        Assert.Equal((81.33, 14.0), (Math.Round(second.LegacyY, 2), Math.Round(second.CurrentY, 2)));
        Assert.Equal((0.0, 0.0), (chart.Bars[3].LegacyHeight, chart.Bars[3].CurrentHeight));
        Assert.Equal(Friday10.AddHours(3), chart.Bars[3].Point.Start);

        // Share: 100 %, 66.7 %, 0 %, none, none, 50 % → two runs, broken over the empty hours.
        Assert.Equal([14, 81.33, 216, null, null, 115], chart.Bars.Select(b => b.ShareY is { } y ? Math.Round(y, 2) : (double?)null));
        Assert.Equal(["123.33,14 266,81.33 408.67,216", "836.67,115"], chart.ShareLines);
        Assert.Equal((5L, 4L), (chart.Legacy, chart.Current));
        Assert.Equal("55.6 %", ShareChart.Percent(chart.LegacyShare));

        // Few buckets: each labelled with its hour, the day under the first.
        Assert.Equal(
            [(0, "10:00", "Fri 20 Nov"), (1, "11:00", null), (2, "12:00", null), (3, "13:00", null), (4, "14:00", null), (5, "15:00", null)],
            chart.DateTicks.Select(t => (t.Index, t.Line1, t.Line2)));
        Assert.Equal(123.33, Math.Round(chart.DateTicks[0].X, 2));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(5, 1, 5)]
    [InlineData(6, 2, 6)]
    [InlineData(7, 2, 8)]
    [InlineData(11, 5, 15)]
    [InlineData(23, 5, 25)]
    [InlineData(26, 10, 30)]
    [InlineData(101, 50, 150)]
    [InlineData(1234, 500, 1500)]
    public void Count_ticks_are_round_and_at_most_five_intervals(long max, long step, long top) =>
        Assert.Equal((step, top), ShareChart.CountScale(max));

    [Fact]
    public void A_week_of_hours_is_labelled_at_each_midnight_with_the_day()
    {
        // From Friday 10:00: the first midnight is bucket 14 (Saturday), then every 24th.
        var chart = ShareChart.From(Hours(Friday10, [.. Enumerable.Repeat((0L, 0L), 168)]), "hour");
        Assert.Equal(
            [(14, "00:00", "Sat 21 Nov"), (38, "00:00", "Sun 22 Nov"), (62, "00:00", "Mon 23 Nov"), (86, "00:00", "Tue 24 Nov"),
             (110, "00:00", "Wed 25 Nov"), (134, "00:00", "Thu 26 Nov"), (158, "00:00", "Fri 27 Nov")],
            chart.DateTicks.Select(t => (t.Index, t.Line1, t.Line2)));
        Assert.Equal(["0", "1"], chart.CountTicks.Select(t => t.Label)); // nothing at all: still an axis
        Assert.Empty(chart.ShareLines);
        Assert.All(chart.Bars, b => Assert.Equal(0, b.LegacyHeight + b.CurrentHeight));
    }

    [Fact]
    public void Days_over_a_new_year_are_labelled_every_other_day_with_each_year_once()
    {
        var start = new DateTime(2026, 12, 20, 0, 0, 0, DateTimeKind.Utc);
        var days = new OperationShare("unlink", Enumerable.Range(0, 21).Select(i => new SharePoint(start.AddDays(i), 1, 1)).ToList());
        var ticks = ShareChart.From(days, "day").DateTicks;
        Assert.Equal(
            [(0, "20 Dec", "2026"), (2, "22 Dec", null), (4, "24 Dec", null), (6, "26 Dec", null), (8, "28 Dec", null), (10, "30 Dec", null),
             (12, "1 Jan", "2027"), (14, "3 Jan", null), (16, "5 Jan", null), (18, "7 Jan", null), (20, "9 Jan", null)],
            ticks.Select(t => (t.Index, t.Line1, t.Line2)));
    }

    [Fact]
    public void A_label_on_the_first_or_last_bucket_stays_inside_the_plot()
    {
        // Three days by hour from midnight: the first bucket is labelled, its date ("Fri 20 Nov", about 75 px) wider
        // than its 11.7 px slot. Centred, it would reach under the count axis' labels left of x 52.
        var midnight = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        var ticks = ShareChart.From(Hours(midnight, Enumerable.Repeat((1L, 1L), 73).ToArray()), "hour").DateTicks;
        Assert.Equal((0, "start", 52.0), (ticks[0].Index, ticks[0].Anchor, ticks[0].LabelX));
        Assert.Equal((72, "end", 908.0), (ticks[^1].Index, ticks[^1].Anchor, Math.Round(ticks[^1].LabelX, 2)));
        Assert.All(ticks.Skip(1).SkipLast(1), t => Assert.Equal(("middle", t.X), (t.Anchor, t.LabelX)));
    }

    [Fact]
    public void A_year_of_weeks_is_labelled_every_eighth_week()
    {
        var monday = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        var weeks = new OperationShare("link", Enumerable.Range(0, 53).Select(i => new SharePoint(monday.AddDays(7 * i), 0, 1)).ToList());
        Assert.Equal(
            [(7, "23 Feb", "2026"), (15, "20 Apr", null), (23, "15 Jun", null), (31, "10 Aug", null), (39, "5 Oct", null), (47, "30 Nov", null)],
            ShareChart.From(weeks, "week").DateTicks.Select(t => (t.Index, t.Line1, t.Line2)));
    }

    [Theory]
    [InlineData("2026-11-20T10:30:00Z", "hour", "2026-11-20T10:00:00Z")]
    [InlineData("2026-11-20T10:30:00Z", "day", "2026-11-20T00:00:00Z")]
    [InlineData("2026-11-20T10:30:00Z", "week", "2026-11-16T00:00:00Z")] // the Monday before
    [InlineData("2026-11-16T00:00:00Z", "week", "2026-11-16T00:00:00Z")]
    [InlineData("2026-11-22T23:59:59Z", "week", "2026-11-16T00:00:00Z")] // Sunday closes the ISO week
    public void Buckets_start_on_the_hour_the_day_or_the_monday(string at, string bucket, string start) =>
        Assert.Equal(DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal),
            TimeBuckets.Floor(DateTime.Parse(at, null, System.Globalization.DateTimeStyles.AdjustToUniversal), bucket));

    [Theory]
    [InlineData("2026-11-13T10:00Z", "hour", "hour")]   // 168 bars
    [InlineData("2026-10-01T00:00Z", "hour", "day")]    // 1,210 hours → 51 days
    [InlineData("2020-01-01T00:00Z", "day", "week")]    // 2,515 days → 360 weeks
    [InlineData("2020-01-01T00:00Z", "week", "week")]
    public void A_bucket_too_fine_for_the_range_becomes_coarser(string from, string asked, string used)
    {
        var query = new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery($"from={from}&bucket={asked}"));
        Assert.Equal(used, ReportFilter.Parse(query, Friday10, []).Bucket);
    }

    [Fact]
    public void A_ramp_step_is_placed_along_the_plot_by_its_time_and_none_outside_the_buckets()
    {
        var chart = ShareChart.From(Hours(Friday10, (1, 0), (1, 0), (1, 0), (1, 0)), "hour");
        // Four hours over 856 px from x 52: 10:00 at 52, 11:30 at 52 + 1.5 × 214 = 373.
        Assert.Equal(52, chart.XOf(Friday10));
        Assert.Equal(373, chart.XOf(Friday10.AddMinutes(90)));
        Assert.Null(chart.XOf(Friday10.AddSeconds(-1)));
        Assert.Null(chart.XOf(Friday10.AddHours(4)));
    }
}
