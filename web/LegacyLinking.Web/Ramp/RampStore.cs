using System.Globalization;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Ramp;

/// <summary>
/// The ramp plans in the app's database, shared by every instance: read through a short-lived snapshot by the flag
/// definitions (as the global overrides are), written in one transaction with their history line. Writers of one
/// operation take the same turn as writers of that operation's flag override (<see cref="FlagWriteLock"/>), across
/// every instance, so a person's pause and the engine's step never interleave; the engine's writes also name the
/// <see cref="RampPlan.Version"/> they judged and are dropped when a person changed the plan meanwhile.
/// </summary>
public sealed class RampStore : IPlannedAllocations
{
    public const string Notification = "ramp";

    private readonly IDbContextFactory<AppDbContext> databases;
    private readonly TimeProvider clock;
    private readonly LastGoodCopy<IReadOnlyDictionary<string, RampPlan>> _plans;

    public RampStore(IDbContextFactory<AppDbContext> databases, TimeProvider clock, ILogger<RampStore> logger, DatabaseNotifications? notifications = null)
    {
        this.databases = databases;
        this.clock = clock;
        _plans = new("Ramp plans", ReadAsync, clock, logger, notifications, Notification);
    }

    /// <summary>
    /// The plans as of at most <see cref="LastGoodCopy.MaxStaleness"/> ago. While the database does not answer, the
    /// last plans read stay in force: a ramp must not drop users back to the configured allocation because a read failed.
    /// </summary>
    public ValueTask<IReadOnlyDictionary<string, RampPlan>> PlansAsync(CancellationToken cancellationToken = default) => _plans.GetAsync(cancellationToken);

    private async Task<IReadOnlyDictionary<string, RampPlan>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return (await db.RampPlans.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(p => p.Operation);
    }

    /// <summary>The allocation of a flow flag while its operation's plan is in force (started, not a dry run).</summary>
    public async ValueTask<PlannedAllocation?> ForAsync(string flag)
    {
        var operation = FlowCatalogue.All.FirstOrDefault(f => f.Flag == flag)?.Operation;
        return operation is not null && (await PlansAsync()).TryGetValue(operation, out var plan) && plan.InForce
            ? new PlannedAllocation(plan.FromFlow, plan.ToFlow, plan.Percent)
            : null;
    }

    /// <summary>The plan of <paramref name="operation"/> as stored now, or null.</summary>
    public async Task<RampPlan?> ReadAsync(string operation, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.RampPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Operation == operation, cancellationToken);
    }

    /// <summary>The newest history lines, of one operation or all.</summary>
    public async Task<IReadOnlyList<RampEvent>> HistoryAsync(string? operation, int take, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.RampEvents.AsNoTracking().Where(e => operation == null || e.Operation == operation)
            .OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>The changes of allocation or status of <paramref name="operation"/> in [from, to), oldest first (the chart's step markers).</summary>
    public async Task<IReadOnlyList<RampEvent>> StepsBetweenAsync(string operation, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.RampEvents.AsNoTracking()
            .Where(e => e.Operation == operation && e.At >= from && e.At < to && e.Action != RampActions.Save)
            .OrderBy(e => e.Id).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>Stores a plan QA wrote. Refused while it runs (pause it first), and a change of flows while it holds users (abort it first).</summary>
    /// <exception cref="ArgumentException">The plan cannot be changed now; the message says why.</exception>
    public Task<string> SaveAsync(RampPlan plan, RampActor actor, CancellationToken cancellationToken) =>
        WriteAsync(plan.Operation, actor, cancellationToken, existing =>
        {
            if (existing?.Status == RampStatus.Running)
                throw new ArgumentException($"The {plan.Operation} ramp is running: pause it before changing its plan.");
            if (existing is { Percent: > 0 } && (existing.FromFlow != plan.FromFlow || existing.ToFlow != plan.ToFlow))
                throw new ArgumentException($"The {plan.Operation} ramp holds {existing.Percent} % of users on {existing.ToFlow}: abort it before changing its flows.");
            var target = existing ?? new RampPlan { Operation = plan.Operation, Status = RampStatus.Draft };
            target.FromFlow = plan.FromFlow;
            target.ToFlow = plan.ToFlow;
            target.Steps = plan.Steps;
            target.MinStepSeconds = plan.MinStepSeconds;
            target.MinRequests = plan.MinRequests;
            target.Alpha = plan.Alpha;
            target.DryRun = plan.DryRun;
            return (target, RampActions.Save,
                $"Plan saved: {plan.FromFlow} → {plan.ToFlow} in steps of {string.Join(", ", plan.StepList.Select(s => s + " %"))}, " +
                $"at least {Duration(plan.MinStepSeconds)} and {plan.MinRequests:N0} requests through {plan.ToFlow} per step, " +
                $"worse when p < {plan.Alpha.ToString(CultureInfo.InvariantCulture)}{(plan.DryRun ? ", dry run (the allocation is not changed)" : "")}.");
        });

    /// <summary>A person's control (one of <see cref="RampActions.Controls"/>).</summary>
    /// <exception cref="ArgumentException">The control does not apply now; the message says why.</exception>
    public Task<string> ControlAsync(string operation, string action, RampActor actor, CancellationToken cancellationToken) =>
        WriteAsync(operation, actor, cancellationToken, plan =>
        {
            if (plan is null) throw new ArgumentException($"There is no {operation} ramp plan yet: save one first.");
            var now = clock.GetUtcNow().UtcDateTime;
            var from = plan.Percent;
            string summary;
            switch (action)
            {
                case RampActions.Start when plan.Status is RampStatus.Draft or RampStatus.Aborted or RampStatus.Done:
                    plan.Percent = plan.StepList[0];
                    plan.Status = RampStatus.Running;
                    summary = $"Started: {plan.Percent} % of users on {plan.ToFlow}.";
                    break;
                case RampActions.Start:
                    throw new ArgumentException($"The {operation} ramp is {plan.Status}: resume it instead, or abort it to start again.");
                case RampActions.Pause when plan.Status == RampStatus.Running:
                    plan.Status = RampStatus.Paused;
                    summary = $"Paused at {plan.Percent} %.";
                    break;
                case RampActions.Pause:
                    throw new ArgumentException($"The {operation} ramp is {plan.Status}, not running: nothing to pause.");
                case RampActions.Resume when plan.Status is RampStatus.Paused or RampStatus.RolledBack:
                    plan.Status = RampStatus.Running;
                    // Rolled back to 0 %, the new flow has no traffic to judge: resuming retries the first step.
                    plan.Percent = plan.Percent == 0 ? plan.StepList[0] : plan.Percent;
                    summary = $"Resumed at {plan.Percent} %: the step's minimums count again from now.";
                    break;
                case RampActions.Resume:
                    throw new ArgumentException($"The {operation} ramp is {plan.Status}: only a paused or rolled-back ramp can be resumed.");
                case RampActions.Advance when plan.Status is not (RampStatus.Draft or RampStatus.Aborted) && plan.NextStep is { } next:
                    plan.Percent = next;
                    summary = $"Advanced by hand from {from} % to {next} %.";
                    break;
                case RampActions.Advance:
                    throw new ArgumentException(plan.NextStep is null ? $"The {operation} ramp is at 100 %: there is no step to advance to." : $"The {operation} ramp is {plan.Status}: start it first.");
                case RampActions.RollBack when plan.Percent > 0 && plan.Status != RampStatus.Aborted:
                    plan.Percent = plan.PreviousStep;
                    plan.Status = RampStatus.Paused;
                    summary = $"Rolled back by hand from {from} % to {plan.Percent} % and paused.";
                    break;
                case RampActions.RollBack:
                    throw new ArgumentException($"The {operation} ramp is at 0 %: there is no step to roll back to.");
                case RampActions.Abort when plan.Status is not (RampStatus.Draft or RampStatus.Aborted):
                    plan.Percent = 0;
                    plan.Status = RampStatus.Aborted;
                    summary = $"Aborted: every user back on {plan.FromFlow} (0 %).";
                    break;
                case RampActions.Abort:
                    throw new ArgumentException($"The {operation} ramp is {plan.Status}: nothing to abort.");
                default:
                    throw new ArgumentException($"'{action}' is not a ramp control.");
            }
            plan.StepStartedAt = plan.Status == RampStatus.Aborted ? null : now;
            return (plan, action, summary);
        });

    /// <summary>
    /// The engine's decision, applied only if the plan is still the one it judged (<see cref="RampPlan.Version"/>).
    /// </summary>
    /// <returns>False when a person changed the plan meanwhile: nothing is written.</returns>
    public async Task<bool> ApplyAsync(RampPlan judged, RampDecision decision, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(judged.Operation, null, cancellationToken, plan =>
            {
                if (plan is null || plan.Version != judged.Version) throw new StaleJudgement();
                plan.Percent = decision.Percent;
                plan.Status = decision.Status;
                if (decision.RestartsWindow) plan.StepStartedAt = clock.GetUtcNow().UtcDateTime;
                return (plan, decision.Action, decision.Summary);
            }, decision);
            return true;
        }
        catch (StaleJudgement)
        {
            return false;
        }
    }

    /// <summary>A person changed the plan after the engine read it: its judgement is of a state that is gone.</summary>
    private sealed class StaleJudgement : Exception;

    private async Task<string> WriteAsync(string operation, RampActor? actor, CancellationToken cancellationToken,
        Func<RampPlan?, (RampPlan Plan, string Action, string Summary)> change, RampDecision? decision = null)
    {
        var flag = operation == LinkingService.Link ? FlagNames.LinkFlow : FlagNames.UnlinkFlow;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await FlagWriteLock.TakeAsync(db, flag, cancellationToken);
        var existing = await db.RampPlans.SingleOrDefaultAsync(p => p.Operation == operation, cancellationToken);
        var from = existing?.Percent ?? 0;
        var (plan, action, summary) = change(existing);
        var now = clock.GetUtcNow().UtcDateTime;
        plan.Version++;
        plan.UpdatedAt = now;
        if (existing is null) db.RampPlans.Add(plan);
        db.RampEvents.Add(new RampEvent
        {
            Operation = operation, At = now, Action = action, FromPercent = from, ToPercent = plan.Percent, Status = plan.Status,
            Summary = summary, DryRun = plan.DryRun, Actor = actor?.Id, ActorName = actor?.Name, ActorEmail = actor?.Email, Why = actor?.Why,
            NewSent = decision?.Window.NewSent, NewOk = decision?.Window.NewOk, OldSent = decision?.Window.OldSent, OldOk = decision?.Window.OldOk,
            NewTenantErrors = decision?.Window.NewTenantErrors, OldTenantErrors = decision?.Window.OldTenantErrors, PValue = decision?.PValue,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlAsync(DatabaseNotifications.Notify(Notification), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _plans.Changed(); // this instance sees its own change at once
        return summary;
    }

    public static string Duration(int seconds) => seconds switch
    {
        < 120 => $"{seconds} s",
        < 7_200 => $"{seconds / 60.0:0.#} min",
        < 172_800 => $"{seconds / 3600.0:0.#} h",
        _ => $"{seconds / 86_400.0:0.#} days",
    };
}
