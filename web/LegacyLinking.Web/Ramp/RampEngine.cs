using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Ramp;

/// <summary>
/// Runs the ramps: every <see cref="RampOptions.IntervalSeconds"/>, the instance holding the lease (one row in the
/// database, taken by a single conditional update, so two instances never both hold it) judges each running plan with
/// <see cref="RampGuardrail"/> and applies the decision. Everything it needs is in the database (the step, when it
/// began, the record), so a restart or another instance taking over carries on mid-step.
/// </summary>
public sealed class RampEngine(
    RampStore store, IDbContextFactory<AppDbContext> databases, TimeProvider clock, IOptions<RampOptions> options,
    FlowEventWriter writer, RecordJournal journal, DepnotePolling polling, ILogger<RampEngine> logger) : BackgroundService
{
    /// <summary>This engine's name in the lease: machine, process and a number of its own (two engines in one process differ).</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Engine) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && DatabaseFailures.IsUnavailable(e))
            {
                // Nothing moves while the database is away: the plans stay where they are.
                logger.LogWarning("The ramp engine could not reach the database ({Error}); trying again at its next run.", e.Message);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed run moves nothing; an escaped exception would stop the whole app (the host's default for a background service).
                logger.LogError(e, "A run of the ramp engine failed; the plans stay where they are until its next run.");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!options.Value.Engine) return;
        try
        {
            await ReleaseAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e) || e is ObjectDisposedException)
        {
            // It expires by itself (a host torn down around a stopping engine disposes the database's services first).
            logger.LogDebug("The ramp lease was not released at stop ({Error}); it expires by itself.", e.Message);
        }
    }

    /// <summary>One run: takes or renews the lease, then judges every running plan.</summary>
    /// <returns>Null when another instance holds the lease; otherwise the decisions applied.</returns>
    public async Task<IReadOnlyList<RampDecision>?> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await TryTakeLeaseAsync(cancellationToken)) return null;
        var applied = new List<RampDecision>();
        foreach (var operation in RampPlanInput.Operations)
        {
            var plan = await store.ReadAsync(operation, cancellationToken);
            if (plan is not { Status: RampStatus.Running }) continue;
            var now = clock.GetUtcNow().UtcDateTime;
            var since = plan.StepStartedAtUtc ?? now;
            var window = await WindowAsync(plan, since, now, cancellationToken);
            var problem = await RecordProblemAsync(since, now, cancellationToken);
            if (RampGuardrail.Decide(plan, window, problem, now) is not { } decision) continue;
            if (await store.ApplyAsync(plan, decision, cancellationToken))
            {
                logger.LogInformation("Ramp {Operation}: {Summary}", operation, decision.Summary);
                applied.Add(decision);
            }
        }
        return applied;
    }

    /// <summary>Takes the lease when it is free or expired, or renews it when this engine holds it: one update, so only one instance gets it.</summary>
    public async Task<bool> TryTakeLeaseAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var taken = await db.RampLeases
            .Where(l => l.Name == RampLease.EngineName && (l.Holder == Holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, Holder).SetProperty(l => l.ExpiresAt, until), cancellationToken);
        return taken == 1;
    }

    /// <summary>Gives the lease up at a clean stop, so another instance takes over at its next run rather than after the lease expires.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var past = clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
        await db.RampLeases.Where(l => l.Name == RampLease.EngineName && l.Holder == Holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, past), cancellationToken);
    }

    /// <summary>
    /// The step's evidence from the migration record, by the readiness verdicts' rule of what reached the tenant. At
    /// 100 % the old flow gets no requests, so the new flow is compared with the old flow's requests just before the step
    /// began, over as long as the step has run (at least its minimum time): a new flow that fails at full share is still
    /// rolled back rather than finished on its minimums alone.
    /// </summary>
    public async Task<RampWindow> WindowAsync(RampPlan plan, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        var step = await CountsAsync(plan, since, until, cancellationToken);
        if (plan.Percent < 100) return step;
        var length = TimeSpan.FromSeconds(Math.Max((until - since).TotalSeconds, plan.MinStepSeconds));
        var before = await CountsAsync(plan, since - length, since, cancellationToken);
        return step with { OldSent = before.OldSent, OldOk = before.OldOk, OldTenantErrors = before.OldTenantErrors };
    }

    private async Task<RampWindow> CountsAsync(RampPlan plan, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.FlowEvents.AsNoTracking()
            .Where(e => e.Operation == plan.Operation && (e.Flow == plan.FromFlow || e.Flow == plan.ToFlow) && e.At >= since && e.At < until)
            .GroupBy(e => new { e.Flow, e.Outcome, e.ErrorCode, e.Status })
            .Select(g => new { g.Key.Flow, g.Key.Outcome, g.Key.ErrorCode, g.Key.Status, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var sent = rows.Where(r => ReadinessReport.SentToTenant(r.Outcome, r.ErrorCode ?? "")).ToList();
        long Sent(string flow) => sent.Where(r => r.Flow == flow).Sum(r => r.Count);
        long Ok(string flow) => sent.Where(r => r.Flow == flow && r.Outcome == Linking.Outcomes.Ok).Sum(r => r.Count);
        long TenantErrors(string flow) => sent.Where(r => r.Flow == flow && r.Status is 429 or >= 500).Sum(r => r.Count);
        return new RampWindow(Sent(plan.ToFlow), Ok(plan.ToFlow), Sent(plan.FromFlow), Ok(plan.FromFlow), TenantErrors(plan.ToFlow), TenantErrors(plan.FromFlow));
    }

    /// <summary>
    /// Why the record cannot be trusted for the window, or null: a gap any instance stored that reaches into it (lost
    /// events), records this instance could not write, or a tenant log reader whose figures are stale.
    /// </summary>
    public async Task<string?> RecordProblemAsync(DateTime since, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var gap = await db.RecordGaps.AsNoTracking().Where(g => g.To >= since).OrderByDescending(g => g.From)
            .Select(g => new GapLine(g.Kind, g.From, g.To, g.Events, g.Instance)).FirstOrDefaultAsync(cancellationToken);
        if (gap is not null) return $"the record has a gap in the step's window ({gap.Sentence.TrimEnd('.')})";
        if (writer.UnavailableSince is { } down) return $"the record could not be written to the database since {down.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
        if (journal.PendingEvents > 0) return $"{journal.PendingEvents:N0} record(s) still wait in this instance's journal";
        var reader = await TenantLogReaderStatus.ReadAsync(db, polling, now, cancellationToken);
        if (reader.Enabled && reader.IsStale) return $"the tenant log reader is stale ({reader.Summary})";
        return null;
    }
}
