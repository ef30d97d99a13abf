namespace LegacyLinking.Web.Flags;

/// <summary>A QA override that applies to every user and every app instance sharing the database.</summary>
public sealed class FlagOverride
{
    public string Flag { get; set; } = "";
    /// <summary>A variant name for variant flags, <c>on</c>/<c>off</c> for the others.</summary>
    public string Value { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>Who changed which flag, when, from what to what (global or session scope).</summary>
public sealed class FlagAuditEntry
{
    public long Id { get; set; }
    public string Flag { get; set; } = "";
    public string Scope { get; set; } = "";
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    /// <summary>The changer's user id.</summary>
    public string Actor { get; set; } = "";
    /// <summary>The changer's name and email as their sign-in said at the time (null on rows written before they were kept).</summary>
    public string? ActorName { get; set; }
    public string? ActorEmail { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>Who makes a change: the user id, with the name and email from their sign-in, kept with the audit row.</summary>
public sealed record FlagActor(string Id, string? Name, string? Email)
{
    /// <summary>The signed-in user: <c>sub</c>, <c>name</c> and <c>email</c>, each cut to the audit columns' 256 characters rather than refused.</summary>
    public static FlagActor Of(System.Security.Claims.ClaimsPrincipal user) => new(
        user.FindFirst("sub")?.Value ?? "unknown", Bounded(user.FindFirst("name")?.Value), Bounded(user.FindFirst("email")?.Value));

    private static string? Bounded(string? claim) => string.IsNullOrWhiteSpace(claim) ? null : claim.Length <= 256 ? claim : claim[..256];
}
