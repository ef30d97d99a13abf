namespace LegacyLinking.Web.Ramp;

/// <summary>
/// One operation's ramp (table <c>ramp_plans</c>, one row per operation): the plan QA wrote and where it stands. The
/// allocation of the operation's flag follows <see cref="Percent"/> once the plan has started (see
/// <see cref="Flags.PlannedAllocation"/>), except in a dry run.
/// </summary>
public sealed class RampPlan
{
    /// <summary><c>link</c> or <c>unlink</c>.</summary>
    public string Operation { get; set; } = "";
    public string FromFlow { get; set; } = "";
    public string ToFlow { get; set; } = "";
    /// <summary>The percentages of users sent to <see cref="ToFlow"/>, ascending, the last 100, e.g. <c>1,5,25,50,100</c>.</summary>
    public string Steps { get; set; } = "";
    /// <summary>No step is left before this many seconds through it.</summary>
    public int MinStepSeconds { get; set; }
    /// <summary>No step is left before this many requests through the new flow reached the tenant in it.</summary>
    public int MinRequests { get; set; }
    /// <summary>The guardrail: the new flow is worse when the one-sided Fisher exact test's p-value is below this.</summary>
    public double Alpha { get; set; }
    public bool DryRun { get; set; }

    /// <summary>One of <see cref="RampStatus"/>.</summary>
    public string Status { get; set; } = RampStatus.Draft;
    /// <summary>The share of users on <see cref="ToFlow"/> now: 0 or one of <see cref="Steps"/>.</summary>
    public int Percent { get; set; }
    /// <summary>UTC. When the current step (or the window after a resume) began: the guardrail's window starts here.</summary>
    public DateTime? StepStartedAt { get; set; }
    /// <summary>Raised by every write: the engine applies a decision only to the state it judged.</summary>
    public long Version { get; set; }
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<int> StepList => RampPlanInput.ParseSteps(Steps, out _) ?? [];

    /// <summary>The step after the current one, or null at 100 %.</summary>
    public int? NextStep => StepList.Where(s => s > Percent).Cast<int?>().FirstOrDefault();

    /// <summary>The step before the current one (0 before the first).</summary>
    public int PreviousStep => StepList.Where(s => s < Percent).DefaultIfEmpty(0).Max();

    /// <summary>Whether the plan decides the allocation now (started, not a dry run).</summary>
    public bool InForce => Status != RampStatus.Draft && !DryRun;

    public DateTime? StepStartedAtUtc => StepStartedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
}

public static class RampStatus
{
    /// <summary>Written, not started: the allocation is the configured one.</summary>
    public const string Draft = "draft";
    /// <summary>The engine advances it on evidence.</summary>
    public const string Running = "running";
    /// <summary>Held at its step by a person or by missing data; a person resumes it.</summary>
    public const string Paused = "paused";
    /// <summary>The engine found the new flow worse, went back one step by itself and waits for a person.</summary>
    public const string RolledBack = "rolled-back";
    /// <summary>At 100 % with the last step's minimums met.</summary>
    public const string Done = "done";
    /// <summary>Sent back to 0 % by a person.</summary>
    public const string Aborted = "aborted";
}

/// <summary>
/// One line of a ramp's history (table <c>ramp_events</c>): a person's control (who, why) or the engine's decision
/// (with the guardrail's numbers). The migration page's timeline and the QA ramp page read these.
/// </summary>
public sealed class RampEvent
{
    public long Id { get; set; }
    public string Operation { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    /// <summary>One of <see cref="RampActions"/>.</summary>
    public string Action { get; set; } = "";
    public int FromPercent { get; set; }
    public int ToPercent { get; set; }
    /// <summary>The plan's status after it.</summary>
    public string Status { get; set; } = "";
    /// <summary>What happened and why, in plain words.</summary>
    public string Summary { get; set; } = "";
    public bool DryRun { get; set; }

    /// <summary>The person's user id; null for the engine.</summary>
    public string? Actor { get; set; }
    public string? ActorName { get; set; }
    public string? ActorEmail { get; set; }
    public string? Why { get; set; }

    /// <summary>The guardrail's numbers (decisions only): requests that reached the tenant and those that succeeded, per flow.</summary>
    public long? NewSent { get; set; }
    public long? NewOk { get; set; }
    public long? OldSent { get; set; }
    public long? OldOk { get; set; }
    /// <summary>429 and 5xx answers from the tenant.</summary>
    public long? NewTenantErrors { get; set; }
    public long? OldTenantErrors { get; set; }
    /// <summary>The one-sided Fisher exact test's p-value that the new flow fails more often (the smaller of the two tests).</summary>
    public double? PValue { get; set; }

    public DateTime AtUtc => DateTime.SpecifyKind(At, DateTimeKind.Utc);
}

public static class RampActions
{
    public const string Save = "save";
    public const string Start = "start";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Advance = "advance";
    public const string RollBack = "roll-back";
    public const string Abort = "abort";
    /// <summary>The engine's: the record cannot be trusted for this window.</summary>
    public const string Hold = "hold";
    public const string Complete = "complete";

    /// <summary>The controls a person may use on the QA page (the engine also advances, rolls back, holds and completes).</summary>
    public static readonly IReadOnlyList<string> Controls = [Start, Pause, Resume, Advance, RollBack, Abort];
}

/// <summary>
/// The engine's lease (table <c>ramp_leases</c>, one row): the instance named in <see cref="Holder"/> runs the ramp
/// until <see cref="ExpiresAt"/>, renewing it while it lives.
/// </summary>
public sealed class RampLease
{
    public const string EngineName = "engine";

    public string Name { get; set; } = EngineName;
    public string Holder { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}

/// <summary>Who acts on a ramp and why (the QA page requires the why).</summary>
public sealed record RampActor(string Id, string? Name, string? Email, string Why);
