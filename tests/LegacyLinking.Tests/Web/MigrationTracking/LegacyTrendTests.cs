using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>
/// Projections on synthetic weekly counts. The expected figures were computed apart from the app (the same
/// quasi-Poisson fit written out in a few lines of Python): a steady 20 % fall fits b = ln 0.8 exactly.
/// </summary>
public sealed class LegacyTrendTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static TrendProjection Project(params long[] weekly) => LegacyTrend.Project(weekly, Now, Now.AddHours(-1), Now, 14);

    [Fact]
    public void A_steady_fall_gives_a_date_with_the_data_and_the_method()
    {
        var trend = Project(200, 160, 128, 102, 82, 66, 52, 42);
        Assert.Equal(TrendKind.Falling, trend.Kind);
        var fit = trend.Fit!;
        Assert.Equal(-0.2000, fit.WeeklyChange, 4);
        Assert.Equal((-0.2314, -0.1674), (Math.Round(fit.WeeklyChangeLow, 4), Math.Round(fit.WeeklyChangeHigh, 4)));
        Assert.Equal(1.0, fit.Dispersion); // no more spread than Poisson
        Assert.Equal(41.92, fit.Latest, 2);
        // 41.92 × 0.8^k < 0.5 from k = 20 weeks; at the interval's slowest fall (16.7 %/week), from k = 25.
        Assert.Equal(Now.AddDays(140), trend.NoneBy);
        Assert.Equal(Now.AddDays(175), trend.NoneByLatest);
        Assert.Equal(Now.AddDays(154), trend.SwitchOffFrom);
        Assert.Equal(
            "Legacy requests fell 20 %/week (95 % interval 16.7 % to 23.1 %); at this rate none by 2027-04-09 " +
            "(by 2027-05-14 at the slowest rate the data allows); switch-off possible from 2027-04-23 after 14 quiet days.",
            trend.Summary);
        Assert.Equal([200, 160, 128, 102, 82, 66, 52, 42], trend.WeeklyCounts);
        Assert.StartsWith("Poisson log-linear regression of the 8 weekly counts (quasi-Poisson: dispersion 1.0), 95 % interval from Student's t with 6 degrees of freedom", trend.Method);
        Assert.True(fit.DevianceExplained > 0.99, $"{fit.DevianceExplained}");
    }

    [Fact]
    public void Noisy_counts_widen_the_interval_and_push_the_late_date_out()
    {
        var trend = Project(200, 120, 170, 90, 110, 60, 80, 40);
        Assert.Equal(TrendKind.Falling, trend.Kind);
        Assert.Equal(6.54, trend.Fit!.Dispersion, 2); // six times the Poisson variance
        Assert.Equal((-0.1689, -0.2462, -0.0836), (Math.Round(trend.Fit.WeeklyChange, 4), Math.Round(trend.Fit.WeeklyChangeLow, 4), Math.Round(trend.Fit.WeeklyChangeHigh, 4)));
        Assert.Equal((Now.AddDays(7 * 26), Now.AddDays(7 * 54)), (trend.NoneBy, trend.NoneByLatest));
    }

    [Fact]
    public void A_flat_trend_gives_no_date()
    {
        var trend = Project(50, 47, 53, 49, 52, 48, 51, 50);
        Assert.Equal(TrendKind.Flat, trend.Kind);
        Assert.Null(trend.NoneBy);
        Assert.Null(trend.SwitchOffFrom);
        Assert.Equal("No projection: no clear trend, 0.2 %/week (95 % interval -5 % to 5.7 %).", trend.Summary);
    }

    [Fact]
    public void A_rise_gives_no_date()
    {
        var trend = Project(10, 14, 19, 27, 38, 52);
        Assert.Equal(TrendKind.Rising, trend.Kind);
        Assert.Null(trend.NoneBy);
        Assert.StartsWith("No projection: legacy requests are rising, 39.3 %/week", trend.Summary);
    }

    [Theory]
    [InlineData(new long[] { 30, 20, 10 })]            // three weeks
    [InlineData(new long[] { 2, 1, 1, 1, 0, 1 })]      // six requests
    [InlineData(new long[0])]                          // nothing recorded yet
    public void Too_little_data_gives_no_projection(long[] weekly)
    {
        var trend = Project(weekly);
        Assert.Equal(TrendKind.TooLittleData, trend.Kind);
        Assert.Null(trend.Fit);
        Assert.Null(trend.NoneBy);
        Assert.StartsWith("No projection: ", trend.Summary);
    }

    [Fact]
    public void A_fall_too_slow_for_two_years_says_so()
    {
        var trend = Project(10000, 9900, 9801, 9703, 9606, 9510, 9415, 9321);
        Assert.Equal(TrendKind.Falling, trend.Kind);
        Assert.Equal(-0.01, trend.Fit!.WeeklyChange, 4);
        Assert.Null(trend.NoneBy); // 979 weeks
        Assert.EndsWith("at this rate not within two years.", trend.Summary);
    }

    [Fact]
    public void A_quiet_flow_needs_no_projection()
    {
        var last = Now.AddDays(-20);
        var trend = LegacyTrend.Project([40, 20, 0, 0], Now, last, Now, 14);
        Assert.Equal(TrendKind.Quiet, trend.Kind);
        Assert.Equal(last.AddDays(14), trend.SwitchOffFrom);
        Assert.Equal("Quiet since 2026-10-31.", trend.Summary);
    }
}
