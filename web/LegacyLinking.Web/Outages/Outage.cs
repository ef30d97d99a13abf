using LegacyLinking.Web.Auth0;
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

    public static readonly Outage IdentityProvider = new("identity provider",
        "The identity provider did not answer",
        "Signing in and reading your accounts need the identity provider, which did not answer in time. Nothing was changed. Try again in a moment.",
        TimeSpan.FromSeconds(10));

    /// <summary>The outage <paramref name="error"/> stands for, or null when it is an ordinary error.</summary>
    public static Outage? Of(Exception error) =>
        TenantFailures.IsUnavailable(error) ? IdentityProvider : DatabaseFailures.IsUnavailable(error) ? Database : null;
}
