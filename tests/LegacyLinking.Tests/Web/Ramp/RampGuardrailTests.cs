using LegacyLinking.Web.Ramp;

namespace LegacyLinking.Tests.Web.Ramp;

/// <summary>The guardrail's test against values computed by hand (hypergeometric tails).</summary>
public sealed class RampGuardrailTests
{
    [Fact]
    public void The_one_sided_Fisher_test_matches_hand_computed_tails()
    {
        // 5 of 5 new failed, 0 of 5 old: 1 / C(10,5).
        Assert.Equal(1.0 / 252, RampGuardrail.FisherGreater(5, 0, 0, 5), 12);
        // 3 of 4 new failed, 1 of 4 old: (C(4,3)C(4,1) + C(4,4)C(4,0)) / C(8,4) = 17/70.
        Assert.Equal(17.0 / 70, RampGuardrail.FisherGreater(3, 1, 1, 3), 12);
        // The new flow failing less is no evidence of it failing more.
        Assert.True(RampGuardrail.FisherGreater(0, 10, 5, 5) > 0.99);
        Assert.Equal(1, RampGuardrail.FisherGreater(3, 0, 0, 0)); // nothing to compare with
    }

    [Fact]
    public void A_plan_that_is_not_running_is_never_moved()
    {
        var plan = new RampPlan { Steps = "10,100", Percent = 10, Status = RampStatus.Paused, MinStepSeconds = 0, MinRequests = 0, Alpha = 0.05, StepStartedAt = DateTime.UtcNow.AddDays(-1) };
        Assert.Null(RampGuardrail.Decide(plan, new RampWindow(100, 100, 100, 100, 0, 0), null, DateTime.UtcNow));
        Assert.Null(RampGuardrail.Decide(plan, new RampWindow(100, 0, 100, 100, 0, 0), null, DateTime.UtcNow));
    }
}
