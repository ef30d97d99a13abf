using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>What the weekly counts of a legacy flow say about its future.</summary>
public enum TrendKind
{
    /// <summary>Fewer than <see cref="LegacyTrend.MinWeeks"/> complete weeks recorded, or fewer than <see cref="LegacyTrend.MinRequests"/> requests in them.</summary>
    TooLittleData,
    /// <summary>No request in the readiness window: nothing to project, the quiet days count.</summary>
    Quiet,
    /// <summary>The whole 95 % interval of the weekly change is below zero: a date can be projected.</summary>
    Falling,
    /// <summary>The interval holds zero: the data cannot tell a fall from a steady rate.</summary>
    Flat,
    /// <summary>The whole interval is above zero.</summary>
    Rising,
    /// <summary>The fit did not settle (e.g. one busy week among empty ones).</summary>
    NoFit,
}

/// <summary>
/// A quasi-Poisson log-linear fit of weekly counts (log E[count] = a + b·week), by iteratively reweighted least
/// squares. Poisson because the counts are counts (empty weeks included, which a regression of log counts cannot
/// take); quasi because real traffic varies more than Poisson: the standard error of b is scaled by the Pearson
/// dispersion (never below 1) and the interval uses Student's t with n − 2 degrees of freedom.
/// </summary>
public sealed record TrendFit(double Intercept, double Slope, double SlopeLow, double SlopeHigh, double Dispersion, double DevianceExplained, int Weeks)
{
    /// <summary>The fitted change per week, e.g. −0.12 for "fell 12 %/week".</summary>
    public double WeeklyChange => Math.Exp(Slope) - 1;
    public double WeeklyChangeLow => Math.Exp(SlopeLow) - 1;
    public double WeeklyChangeHigh => Math.Exp(SlopeHigh) - 1;

    /// <summary>The fitted count of the latest week.</summary>
    public double Latest => Math.Exp(Intercept + Slope * (Weeks - 1));
}

/// <summary>The projection shown beside a readiness verdict: what was fitted to which counts, and the dates it gives.</summary>
public sealed record TrendProjection(
    TrendKind Kind, IReadOnlyList<long> WeeklyCounts, DateTime WeeksEnd, TrendFit? Fit, DateTime? NoneBy, DateTime? NoneByLatest, DateTime? SwitchOffFrom, string Summary)
{
    public string Method => Fit is null ? "" :
        $"Poisson log-linear regression of the {Fit.Weeks} weekly counts (quasi-Poisson: dispersion {Fit.Dispersion.ToString("0.0", CultureInfo.InvariantCulture)}), " +
        $"95 % interval from Student's t with {Fit.Weeks - 2} degrees of freedom; the fit explains {Fit.DevianceExplained * 100:0} % of the deviance. " +
        $"\"None\" means fewer than {LegacyTrend.NoneThreshold.ToString(CultureInfo.InvariantCulture)} requests expected a week.";
}

public static class LegacyTrend
{
    /// <summary>Weeks looked back (complete weeks ending now, and only since recording began).</summary>
    public const int LookbackWeeks = 12;
    public const int MinWeeks = 4;
    public const int MinRequests = 10;

    /// <summary>Below this fitted weekly count a flow counts as unused ("none").</summary>
    public const double NoneThreshold = 0.5;

    /// <summary>No date is projected further out than this: a slow fall says "not within two years" instead.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(730);

    /// <summary>
    /// Projects when the flow falls out of use. <paramref name="weekly"/> are complete weeks, oldest first, the last
    /// ending at <paramref name="weeksEnd"/>; <paramref name="quietDays"/> is the readiness window.
    /// </summary>
    public static TrendProjection Project(IReadOnlyList<long> weekly, DateTime weeksEnd, DateTime? lastRequest, DateTime now, int quietDays)
    {
        string D(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (lastRequest is null || lastRequest < now.AddDays(-quietDays))
        {
            var from = lastRequest is { } last ? last.AddDays(quietDays) : now;
            return new(TrendKind.Quiet, weekly, weeksEnd, null, null, null, from,
                lastRequest is null ? "No request recorded: nothing to project." : $"Quiet since {D(lastRequest.Value)}.");
        }
        var total = weekly.Sum();
        if (weekly.Count < MinWeeks || total < MinRequests)
            return new(TrendKind.TooLittleData, weekly, weeksEnd, null, null, null, null,
                $"No projection: {weekly.Count} complete week{(weekly.Count == 1 ? "" : "s")} recorded with {total:N0} request{(total == 1 ? "" : "s")}; a trend needs at least {MinWeeks} weeks and {MinRequests} requests.");

        var fit = Fit(weekly);
        if (fit is null)
            return new(TrendKind.NoFit, weekly, weeksEnd, null, null, null, null, "No projection: the weekly counts do not follow a steady rate.");
        var change = $"{Percent(fit.WeeklyChange)}/week (95 % interval {Percent(fit.WeeklyChangeLow)} to {Percent(fit.WeeklyChangeHigh)})";
        if (fit.SlopeHigh >= 0 && fit.SlopeLow <= 0)
            return new(TrendKind.Flat, weekly, weeksEnd, fit, null, null, null, $"No projection: no clear trend, {change}.");
        if (fit.SlopeLow > 0)
            return new(TrendKind.Rising, weekly, weeksEnd, fit, null, null, null, $"No projection: legacy requests are rising, {change}.");

        var noneBy = WhenBelow(fit, fit.Slope, weeksEnd);
        var latest = WhenBelow(fit, fit.SlopeHigh, weeksEnd);
        var fell = $"Legacy requests fell {Percent(-fit.WeeklyChange)}/week (95 % interval {Percent(-fit.WeeklyChangeHigh)} to {Percent(-fit.WeeklyChangeLow)})";
        if (noneBy is null)
            return new(TrendKind.Falling, weekly, weeksEnd, fit, null, null, null, $"{fell}; at this rate not within two years.");
        var switchOff = noneBy.Value.AddDays(quietDays);
        return new(TrendKind.Falling, weekly, weeksEnd, fit, noneBy, latest, switchOff,
            $"{fell}; at this rate none by {D(noneBy.Value)} ({(latest is { } l ? "by " + D(l) : "not within two years")} at the slowest rate the data allows); " +
            $"switch-off possible from {D(switchOff)} after {quietDays} quiet days.");
    }

    /// <summary>The end of the week whose fitted count falls below <see cref="NoneThreshold"/> at this slope; null past the horizon.</summary>
    private static DateTime? WhenBelow(TrendFit fit, double slope, DateTime weeksEnd)
    {
        if (fit.Latest < NoneThreshold) return weeksEnd;
        var weeks = Math.Log(NoneThreshold / fit.Latest) / slope;
        var at = weeksEnd.AddDays(7 * Math.Ceiling(weeks));
        return at - weeksEnd > Horizon ? null : at;
    }

    private static string Percent(double change) => (100 * change).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>The fit, or null when it does not converge or runs off (a slope beyond ±5 a week: a hundredfold change per week).</summary>
    public static TrendFit? Fit(IReadOnlyList<long> weekly)
    {
        var n = weekly.Count;
        var x = Matrix<double>.Build.Dense(n, 2, (i, j) => j == 0 ? 1 : i);
        var y = Vector<double>.Build.Dense(n, i => weekly[i]);
        var mu = y.Map(v => v + 0.5);
        var beta = Vector<double>.Build.Dense(2);
        Matrix<double> information = null!;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var eta = mu.PointwiseLog();
            var z = eta + (y - mu).PointwiseDivide(mu);
            var w = Matrix<double>.Build.Diagonal(mu.ToArray());
            information = x.TransposeThisAndMultiply(w * x);
            var next = information.Solve(x.TransposeThisAndMultiply(w * z));
            if (next.Any(v => !double.IsFinite(v)) || Math.Abs(next[1]) > 5) return null;
            var done = (next - beta).AbsoluteMaximum() < 1e-10;
            beta = next;
            mu = (x * beta).PointwiseExp();
            if (done) break;
            if (iteration == 49) return null;
        }
        information = x.TransposeThisAndMultiply(Matrix<double>.Build.Diagonal(mu.ToArray()) * x);

        var pearson = Enumerable.Range(0, n).Sum(i => (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i]);
        var dispersion = Math.Max(1, pearson / (n - 2));
        var se = Math.Sqrt(dispersion * information.Inverse()[1, 1]);
        var t = StudentT.InvCDF(0, 1, n - 2, 0.975);

        var mean = y.Average();
        var deviance = Deviance(y, mu);
        var nullDeviance = Deviance(y, Vector<double>.Build.Dense(n, mean));
        var explained = nullDeviance <= 0 ? 1 : 1 - deviance / nullDeviance;
        return new TrendFit(beta[0], beta[1], beta[1] - t * se, beta[1] + t * se, dispersion, explained, n);
    }

    /// <summary>Poisson deviance: 2 Σ (y ln(y/μ) − (y − μ)), with 0 ln 0 = 0.</summary>
    private static double Deviance(Vector<double> y, Vector<double> mu) =>
        2 * Enumerable.Range(0, y.Count).Sum(i => (y[i] > 0 ? y[i] * Math.Log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
}
