using System.Globalization;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// The report's and the export's filters, parsed strictly from the query string (bad values are errors, not ignored).
/// <paramref name="ExcludeSuggestions"/>: the event list and the export leave suggestion lookups out unless the
/// operation filter asks for them (<c>suggest</c>, or <c>all</c>); they are one per profile view and would bury the links.
/// </summary>
public sealed record ReportFilter(DateTime From, DateTime To, string? Operation, string? Flow, string? Outcome, string? UserId, string Bucket, bool ExcludeSuggestions = false)
{
    public const string Suggest = "suggest";

    /// <summary>The <c>operation</c> value that lists every operation, suggestion lookups included.</summary>
    public const string AllOperations = "all";

    /// <summary>The <c>to</c> value (also an empty one) that keeps the range open: paging and exports reach what happened since.</summary>
    public const string Now = "now";

    public static readonly string[] Operations = ["link", "unlink", Suggest];
    public static readonly string[] OutcomeValues = [.. Outcomes.All.Select(o => o.Outcome)];
    public static readonly string[] Buckets = ["hour", "day", "week"];

    /// <summary>Every flow the app records: the link and unlink variants, then the suggestion lookup.</summary>
    public static readonly string[] Flows = [.. FlowCatalogue.All.Select(f => f.Name).Distinct(), SuggestionFinder.Flow];

    /// <summary>Parses the filter; <paramref name="errors"/> names each bad field. Choices match whatever their case.</summary>
    public static ReportFilter Parse(IQueryCollection query, DateTime now, List<string> errors)
    {
        var to = IsOpenEnded(query["to"]) ? now : Time(query["to"], "to", errors) ?? now;
        var from = Time(query["from"], "from", errors) ?? to.AddDays(-7);
        if (from >= to) errors.Add("'from' must be before 'to'.");
        if (to - from > TimeSpan.FromDays(3660)) errors.Add("The range may span ten years at most.");
        var operation = OneOf(query["operation"], "operation", [.. Operations, AllOperations], errors);
        return new ReportFilter(from, to,
            operation == AllOperations ? null : operation,
            OneOf(query["flow"], "flow", Flows, errors),
            OneOf(query["outcome"], "outcome", OutcomeValues, errors),
            Text(query["user"], "user", 256, errors),
            Readable(OneOf(query["bucket"], "bucket", Buckets, errors) ?? DefaultBucket(to - from), from, to),
            ExcludeSuggestions: operation is null);
    }

    /// <summary>The times a filter may name: the range's arithmetic (a default week, whole hours) stays within DateTime's.</summary>
    public static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Latest = new(9000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>No <c>to</c>, or <c>to=now</c>: the range ends when the page is read.</summary>
    public static bool IsOpenEnded(string? to) => string.IsNullOrWhiteSpace(to) || string.Equals(to.Trim(), Now, StringComparison.OrdinalIgnoreCase);

    /// <summary>Hours up to 3 days, days up to 90, weeks beyond: a few dozen to a few hundred bars.</summary>
    public static string DefaultBucket(TimeSpan range) =>
        range > TimeSpan.FromDays(90) ? "week" : range > TimeSpan.FromDays(3) ? "day" : "hour";

    /// <summary>At most this many bars in a chart: ten years fit by week; an hour bucket over a year becomes days.</summary>
    public const int MaxBuckets = 600;

    /// <summary>The bucket asked for, or the next coarser one while the range would need more than <see cref="MaxBuckets"/> bars.</summary>
    public static string Readable(string bucket, DateTime from, DateTime to)
    {
        var index = Array.IndexOf(Buckets, bucket);
        while (index < Buckets.Length - 1 && BucketCount(from, to, Buckets[index]) > MaxBuckets) index++;
        return Buckets[index];
    }

    public static long BucketCount(DateTime from, DateTime to, string bucket)
    {
        var size = bucket switch { "week" => TimeSpan.FromDays(7), "day" => TimeSpan.FromDays(1), _ => TimeSpan.FromHours(1) };
        return (long)Math.Ceiling((to - TimeBuckets.Floor(from, bucket)) / size);
    }

    private static DateTime? Time(string? value, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            errors.Add($"'{name}' is not a date/time (use ISO 8601, e.g. 2026-11-22T10:00Z{(name == "to" ? ", or now" : "")}).");
            return null;
        }
        if (parsed.UtcDateTime >= Earliest && parsed.UtcDateTime < Latest) return parsed.UtcDateTime;
        errors.Add($"'{name}' must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        return null;
    }

    /// <summary>The allowed value whatever the case it was typed in (<c>flow=legacyidtoken</c> is <c>LegacyIdToken</c>).</summary>
    private static string? OneOf(string? value, string name, string[] allowed, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known) return known;
        errors.Add($"'{name}' must be one of {string.Join(", ", allowed)}.");
        return null;
    }

    private static string? Text(string? value, string name, int max, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (value.Length <= max && !value.Any(char.IsControl)) return value;
        errors.Add($"'{name}' is too long or contains control characters.");
        return null;
    }
}
