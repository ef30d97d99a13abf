using LegacyLinking.Web.Data;

namespace LegacyLinking.Web.Outages;

/// <summary>
/// A dependency that did not answer, as the 503 page names it: what the user reads, when to try again, and the
/// engineering detail the QA group also sees.
/// </summary>
public sealed record Outage(string Dependency, string Title, string Message, TimeSpan RetryAfter)
{
    public static readonly Outage Database = new("database",
        "This page is not available right now",
        "This page needs the app's database, which is not answering at the moment. Nothing was changed. It usually comes back within a minute.",
        TimeSpan.FromSeconds(15));

    /// <summary>The outage <paramref name="error"/> stands for, or null when it is an ordinary error.</summary>
    public static Outage? Of(Exception error) => DatabaseFailures.IsUnavailable(error) ? Database : null;
}
