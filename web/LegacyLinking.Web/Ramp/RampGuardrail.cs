using System.Globalization;

namespace LegacyLinking.Web.Ramp;

/// <summary>
/// One step's evidence: the requests each flow sent to the tenant since the step began (refusals the app made before
/// calling the tenant are left out by the same rule as the readiness verdicts), how many succeeded, and how many the
/// tenant answered with 429 or a 5xx.
/// </summary>
public sealed record RampWindow(long NewSent, long NewOk, long OldSent, long OldOk, long NewTenantErrors, long OldTenantErrors)
{
    public static readonly RampWindow Empty = new(0, 0, 0, 0, 0, 0);

    public double? NewRate => NewSent == 0 ? null : (double)NewOk / NewSent;
    public double? OldRate => OldSent == 0 ? null : (double)OldOk / OldSent;

    public string Words(string newFlow, string oldFlow) =>
        $"{newFlow} {Rate(NewOk, NewSent)} succeeded ({NewTenantErrors:N0} answered 429/5xx by the tenant), " +
        $"{oldFlow} {Rate(OldOk, OldSent)} ({OldTenantErrors:N0} 429/5xx)";

    private static string Rate(long ok, long sent) =>
        sent == 0 ? "0 of 0" : $"{ok:N0} of {sent:N0} ({(double)ok / sent * 100:0.#} %)";
}

/// <summary>What the engine does to a plan, and why; <see cref="RestartsWindow"/> when the step's clock starts again.</summary>
public sealed record RampDecision(string Action, int Percent, string Status, bool RestartsWindow, string Summary, RampWindow Window, double? PValue);

/// <summary>
/// The guardrail and the engine's rules, with no I/O: given a running plan, its step's evidence, whether the record can
/// be trusted and the time, what to do.
/// <para>
/// The test: a one-sided Fisher exact test on the 2×2 table (new/old flow × failed/succeeded) of the requests sent to
/// the tenant in the step's window, asking whether the new flow fails more often than the old; and the same test on
/// the tenant's 429/5xx answers. Exact, so it holds at the small counts of the first steps (1 % of users may be a
/// dozen requests), where a normal approximation would not. The new flow is worse when either p-value is below the
/// plan's threshold (0.05 unless QA sets another). It is judged on every run, so a regression rolls back as soon as it
/// shows, before the step's minimums are met; a step is left only after them.
/// </para>
/// </summary>
public static class RampGuardrail
{
    /// <returns>Null when there is nothing to do yet (waiting for the step's minimums), or the decision.</returns>
    public static RampDecision? Decide(RampPlan plan, RampWindow window, string? recordProblem, DateTime now)
    {
        if (plan.Status != RampStatus.Running) return null;
        var dry = plan.DryRun ? "Dry run, the allocation is not changed: would have " : "";
        if (recordProblem is not null)
            return new(RampActions.Hold, plan.Percent, RampStatus.Paused, false,
                $"{(plan.DryRun ? "Dry run: " : "")}paused at {plan.Percent} %: {recordProblem}. The ramp does not advance on missing data; resume it once the record is whole.",
                window, null);

        var p = PValue(window);
        var alpha = plan.Alpha.ToString(CultureInfo.InvariantCulture);
        var evidence = $"{window.Words(plan.ToFlow, plan.FromFlow)}; one-sided Fisher exact p = {Format(p)}";
        if (p < plan.Alpha)
            return new(RampActions.RollBack, plan.PreviousStep, RampStatus.RolledBack, true,
                $"{(plan.DryRun ? dry + "rolled" : "Rolled")} back from {plan.Percent} % to {plan.PreviousStep} % and paused for a person: {plan.ToFlow} fails more often ({evidence} < {alpha}).",
                window, p);

        var elapsed = now - (plan.StepStartedAtUtc ?? now);
        if (elapsed < TimeSpan.FromSeconds(plan.MinStepSeconds) || window.NewSent < plan.MinRequests) return null;
        var met = $"after {RampStore.Duration((int)elapsed.TotalSeconds)} and {window.NewSent:N0} requests through {plan.ToFlow} (at least {RampStore.Duration(plan.MinStepSeconds)} and {plan.MinRequests:N0})";
        if (plan.NextStep is not { } next)
            return new(RampActions.Complete, plan.Percent, RampStatus.Done, false,
                $"{(plan.DryRun ? dry + "finished" : "Finished")} at 100 % {met}: {evidence}, not below {alpha}.", window, p);
        return new(RampActions.Advance, next, RampStatus.Running, true,
            $"{(plan.DryRun ? dry + "advanced" : "Advanced")} from {plan.Percent} % to {next} % {met}: {plan.ToFlow} is not worse ({evidence}, not below {alpha}).",
            window, p);
    }

    /// <summary>The smaller p-value of the two tests: failures, and the tenant's 429/5xx answers.</summary>
    public static double PValue(RampWindow w) => Math.Min(
        FisherGreater(w.NewSent - w.NewOk, w.NewOk, w.OldSent - w.OldOk, w.OldOk),
        FisherGreater(w.NewTenantErrors, w.NewSent - w.NewTenantErrors, w.OldTenantErrors, w.OldSent - w.OldTenantErrors));

    public static string Format(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>
    /// One-sided Fisher exact test: the probability, with the table's margins fixed, of the new flow having
    /// <paramref name="newFailed"/> failures or more. 1 when either flow has no request (nothing to compare).
    /// </summary>
    public static double FisherGreater(long newFailed, long newOk, long oldFailed, long oldOk)
    {
        if (newFailed + newOk == 0 || oldFailed + oldOk == 0) return 1;
        var total = newFailed + newOk + oldFailed + oldOk;
        var failed = newFailed + oldFailed;
        var drawn = newFailed + newOk;
        var denominator = LogChoose(total, drawn);
        var p = 0.0;
        for (var x = newFailed; x <= Math.Min(failed, drawn); x++)
            p += Math.Exp(LogChoose(failed, x) + LogChoose(total - failed, drawn - x) - denominator);
        return Math.Min(1, p);
    }

    private static double LogChoose(long n, long k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(long n) => n < 2 ? 0 : LogGamma(n + 1.0);

    /// <summary>ln Γ(x) by the Lanczos approximation (g = 7, 9 terms): about 15 significant digits for x ≥ 1.</summary>
    private static double LogGamma(double x)
    {
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
