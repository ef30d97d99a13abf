using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// Streams events as CSV or JSON while they are read (never the whole result in memory). CSV cells that a
/// spreadsheet would run as a formula (leading <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR) get a leading
/// apostrophe (OWASP's CSV-injection advice); JSON is data and round-trips unchanged.
/// </summary>
public static class FlowEventExport
{
    /// <summary>The exported columns' names, in order (<see cref="FlowEventColumns.Exported"/>).</summary>
    public static readonly string[] Columns = FlowEventColumns.Exported.Select(c => c.Export!).ToArray();
    private const int FlushEvery = 500;

    public static async Task WriteCsvAsync(IAsyncEnumerable<FlowEvent> events, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        var rows = 0;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Join(',', FlowEventColumns.Exported.Select(c => Cell(Text(c.Read(e))))) + "\r\n");
            if (++rows % FlushEvery == 0) await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonAsync(IAsyncEnumerable<FlowEvent> events, Stream output, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        var rows = 0;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            foreach (var column in FlowEventColumns.Exported) Write(json, column.Export!, column.Read(e));
            json.WriteEndObject();
            if (++rows % FlushEvery == 0) await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>A value as its CSV text: numbers in the invariant culture, times as UTC round-trip ("O").</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime at => Utc(at).ToString("O", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A value as its JSON field: numbers as numbers, times as UTC ISO 8601, text as strings.</summary>
    private static void Write(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case DateTime at: json.WriteString(name, Utc(at)); break;
            case int number: json.WriteNumber(name, number); break;
            case long number: json.WriteNumber(name, number); break;
            case double number: json.WriteNumber(name, number); break;
            default: json.WriteString(name, value.ToString()); break;
        }
    }

    /// <summary>Times are stored in UTC; SQLite reads them back unmarked, PostgreSQL (timestamptz) as UTC: both export with "Z".</summary>
    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);

    /// <summary>Neutralises formula-leading text, then quotes when the cell holds a comma, quote or line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
