using System.Globalization;
using System.Text;

namespace LegacyLinking.FaultDrills;

/// <summary>The drills' figures as Markdown rows (for bench/README.md), echoed as they come so a long run shows progress.</summary>
public sealed class Report
{
    private readonly StringBuilder _rows = new();

    public void Heading(string drill)
    {
        Console.WriteLine($"== {drill} ({DateTime.UtcNow:HH:mm:ss} UTC)");
        _rows.AppendLine().AppendLine($"### {drill}").AppendLine().AppendLine("| Figure | Measured | Beside it | Target |").AppendLine("|---|---|---|---|");
    }

    public void Row(string figure, string measured, string beside = "", string target = "")
    {
        Console.WriteLine($"   {figure}: {measured}{(beside.Length > 0 ? $" ({beside})" : "")}");
        _rows.AppendLine($"| {figure} | {measured} | {beside} | {target} |");
    }

    public void Note(string text) => Console.WriteLine("   " + text);

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine(_rows.ToString());
    }

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
