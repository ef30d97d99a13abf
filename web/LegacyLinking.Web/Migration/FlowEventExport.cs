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
    public static readonly string[] Columns = ["id", "at", "operation", "flow", "reason", "outcome", "status", "errorCode", "durationMs", "userId", "shadow", "traceId"];
    private const int FlushEvery = 500;

    public static async Task WriteCsvAsync(IAsyncEnumerable<FlowEvent> events, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        var rows = 0;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            string?[] cells =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), Utc(e.At).ToString("O", CultureInfo.InvariantCulture), e.Operation, e.Flow, e.Reason,
                e.Outcome, e.Status?.ToString(CultureInfo.InvariantCulture), e.ErrorCode, e.DurationMs.ToString(CultureInfo.InvariantCulture),
                e.UserId, e.Shadow, e.TraceId,
            ];
            await writer.WriteAsync(string.Join(',', cells.Select(Cell)) + "\r\n");
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
            json.WriteNumber("id", e.Id);
            json.WriteString("at", Utc(e.At));
            json.WriteString("operation", e.Operation);
            json.WriteString("flow", e.Flow);
            json.WriteString("reason", e.Reason);
            json.WriteString("outcome", e.Outcome);
            if (e.Status is { } status) json.WriteNumber("status", status); else json.WriteNull("status");
            json.WriteString("errorCode", e.ErrorCode);
            json.WriteNumber("durationMs", e.DurationMs);
            json.WriteString("userId", e.UserId);
            json.WriteString("shadow", e.Shadow);
            json.WriteString("traceId", e.TraceId);
            json.WriteEndObject();
            if (++rows % FlushEvery == 0) await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
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
