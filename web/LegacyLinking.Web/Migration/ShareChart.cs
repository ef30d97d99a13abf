using System.Globalization;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>Geometry of the server-rendered SVG: one stacked bar per bucket, legacy under current, scaled to the tallest.</summary>
public sealed record ShareChart(IReadOnlyList<ShareChart.Bar> Bars, long Max, int Width, int Height)
{
    public const int PlotHeight = 160;
    private const int BarWidth = 18, Gap = 4, Left = 40;

    public sealed record Bar(string Label, string Title, double X, double LegacyY, double LegacyHeight, double CurrentY, double CurrentHeight);

    public static ShareChart From(IReadOnlyList<SharePoint> points, string bucket)
    {
        var max = Math.Max(1, points.Select(p => p.Legacy + p.Current).DefaultIfEmpty(0).Max());
        var bars = points.Select((p, i) =>
        {
            var legacy = PlotHeight * (double)p.Legacy / max;
            var current = PlotHeight * (double)p.Current / max;
            var label = bucket == "day" ? p.Start.ToString("MM-dd", CultureInfo.InvariantCulture) : p.Start.ToString("dd HH:00", CultureInfo.InvariantCulture);
            var total = p.Legacy + p.Current;
            var share = total == 0 ? 0 : 100.0 * p.Legacy / total;
            var title = $"{p.Start:yyyy-MM-dd HH:mm} UTC: {p.Legacy} legacy, {p.Current} current ({share:0.#} % legacy)";
            return new Bar(label, title, Left + i * (BarWidth + Gap), PlotHeight - legacy, legacy, PlotHeight - legacy - current, current);
        }).ToList();
        return new ShareChart(bars, max, Left + Math.Max(1, bars.Count) * (BarWidth + Gap) + 10, PlotHeight + 40);
    }

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
