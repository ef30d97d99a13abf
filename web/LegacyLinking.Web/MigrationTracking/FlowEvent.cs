namespace LegacyLinking.Web.MigrationTracking; // not ".Migration": that would shadow EF Core's Migration base class in Data/Migrations

/// <summary>One link/unlink/suggestion request (its columns are described once in FlowEventColumns).</summary>
public sealed class FlowEvent
{
    public long Id { get; set; }
    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    /// <summary><c>link</c>, <c>unlink</c> or <c>suggest</c>.</summary>
    public string Operation { get; set; } = "";
    public string Flow { get; set; } = "";
    /// <summary>Why this flow: User, Group, Percentile, DefaultWhenEnabled, DefaultWhenDisabled, QaGlobal, QaSession.</summary>
    public string Reason { get; set; } = "";
    /// <summary>One of <see cref="Linking.Outcomes.All"/> (each described there).</summary>
    public string Outcome { get; set; } = "";
    public int? Status { get; set; }
    public string? ErrorCode { get; set; }
    public double DurationMs { get; set; }
    public string UserId { get; set; } = "";
    /// <summary>
    /// The user's number in <see cref="FlowUser"/>, which the writer assigns: the events are indexed by it rather than by
    /// <see cref="UserId"/> (an index entry of a few bytes instead of ~60 keeps the writer's random inserts cheap).
    /// </summary>
    public int UserKey { get; set; }
    /// <summary><c>would-succeed</c>, <c>would-fail:&lt;reason&gt;</c>, or null when no shadow check ran.</summary>
    public string? Shadow { get; set; }
    public string? TraceId { get; set; }
}
