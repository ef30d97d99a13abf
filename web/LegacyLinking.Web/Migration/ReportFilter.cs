using System.Globalization;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>The report's and the export's filters, parsed strictly from the query string (bad values are errors, not ignored).</summary>
public sealed record ReportFilter(DateTime From, DateTime To, string? Operation, string? Flow, string? Outcome, string? UserId, string Bucket)
{
    public static readonly string[] Operations = ["link", "unlink", "suggest"];
    public static readonly string[] OutcomeValues = ["ok", "refused", "rejected", "error"];
    public static readonly string[] Buckets = ["hour", "day"];

    /// <summary>Parses the filter; <paramref name="errors"/> names each bad field.</summary>
    public static ReportFilter Parse(IQueryCollection query, DateTime now, List<string> errors)
    {
        var to = Time(query["to"], "to", errors) ?? now;
        var from = Time(query["from"], "from", errors) ?? to.AddDays(-7);
        if (from >= to) errors.Add("'from' must be before 'to'.");
        if (to - from > TimeSpan.FromDays(3660)) errors.Add("The range may span ten years at most.");
        return new ReportFilter(from, to,
            OneOf(query["operation"], "operation", Operations, errors),
            Text(query["flow"], "flow", 32, errors),
            OneOf(query["outcome"], "outcome", OutcomeValues, errors),
            Text(query["user"], "user", 256, errors),
            OneOf(query["bucket"], "bucket", Buckets, errors) ?? (to - from > TimeSpan.FromDays(3) ? "day" : "hour"));
    }

    /// <summary>The times a filter may name: the range's arithmetic (a default week, whole hours) stays within DateTime's.</summary>
    public static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Latest = new(9000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime? Time(string? value, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            errors.Add($"'{name}' is not a date/time (use ISO 8601, e.g. 2026-11-22T10:00Z).");
            return null;
        }
        if (parsed.UtcDateTime >= Earliest && parsed.UtcDateTime < Latest) return parsed.UtcDateTime;
        errors.Add($"'{name}' must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        return null;
    }

    private static string? OneOf(string? value, string name, string[] allowed, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (allowed.Contains(value)) return value;
        errors.Add($"'{name}' must be one of {string.Join(", ", allowed)}.");
        return null;
    }

    private static string? Text(string? value, string name, int max, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.Length <= max && !value.Any(char.IsControl)) return value;
        errors.Add($"'{name}' is too long or contains control characters.");
        return null;
    }
}
