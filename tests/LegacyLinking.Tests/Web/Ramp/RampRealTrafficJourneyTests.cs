using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Ramp;

namespace LegacyLinking.Tests.Web.Ramp;

/// <summary>
/// The ramp on real traffic: every request is a new user who signs in to the app and unlinks a second account from
/// the profile page, through whichever flow the ramp gives them. The two unlink flows call different tenant routes
/// (the deprecated <c>POST /unlink</c>, the Management API's <c>DELETE …/identities/…</c>), so a fault on the DELETE
/// fails only the new flow: the engine must see that in the record the app writes and roll back by itself.
/// </summary>
public sealed class RampRealTrafficJourneyTests(FastRampStack stack) : IClassFixture<FastRampStack>
{
    private const string Password = "Ramp-Real-Passw0rd";
    private const string NewFlowRoute = "DELETE /api/v2/users/*/identities/*/*";

    /// <summary>
    /// At least this many requests through the new flow before a step is left. Users split between the flows by id,
    /// so the old flow may have had only one request when the new flow's count reaches the minimum; with one old
    /// request no number of new failures up to 19 is significant (p = 1/(n+1)), and the ramp would advance on
    /// failures before the evidence could show. At 12 the chance of that is about 0.2 % (a fair split); at 3 it would
    /// be about two runs in three (p stays at 0.05 or above until the old flow has had 4).
    /// </summary>
    private const int MinRequests = 12;

    private const int MaxUsersPerPhase = 40;

    private readonly List<(string? Flow, LinkResult Result)> _unlinks = [];

    /// <summary>One request: a new user with a second account linked by the admin path signs in and unlinks it.</summary>
    private async Task OneUserUnlinksAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"ramp-{tag}@example.com";
        var primary = await TenantAdmin.CreateDatabaseUserAsync(stack, email, Password);
        var secondary = await TenantAdmin.CreateDatabaseUserAsync(stack, $"ramp-second-{tag}@example.com", Password);
        await TenantAdmin.LinkAsync(stack, primary, secondary);

        var user = stack.NewBrowser();
        var signedIn = await user.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, email, Password));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var result = await user.UnlinkAsync("auth0", secondary.Split('|', 2)[1]);
        Assert.True((int)result.Response.StatusCode < 500, $"{result.Flow}: {result.Response.StatusCode}");
        _unlinks.Add((result.Flow, result));
    }

    private IEnumerable<LinkResult> Through(string flow) => _unlinks.Where(u => u.Flow == flow).Select(u => u.Result);

    [Fact]
    public async Task Real_unlinks_failing_on_the_new_flow_roll_the_ramp_back_then_resumed_it_reaches_100_percent()
    {
        await stack.WaitUntilRecordIsWholeAsync();
        await TenantAdmin.SetFlagAsync(stack, TenantAdmin.LegacyUnlinkEndpoint, true);
        await stack.Controls.AddFaultAsync(new { route = NewFlowRoute, status = 503, count = MaxUsersPerPhase });

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await RampPage.ClickAsync(qa, "save-unlink", f => f.Set("fromFlow", UnlinkFlows.LegacyUnlinkEndpoint).Set("toFlow", UnlinkFlows.AccessToken)
            .Set("steps-unlink", "50, 100").Set("seconds-unlink", "1").Set("requests-unlink", $"{MinRequests}").Set("alpha-unlink", "0.05")
            .Set("why-save-unlink", "real traffic journey"));
        var started = await RampPage.ClickAsync(qa, "control-unlink-start", f => f.Set("why-control-unlink", "go"));
        Assert.Equal(("running", "50"), (RampPage.Status(started, "unlink"), RampPage.Percent(started, "unlink")));

        // The tenant fails the new flow's DELETE while the deprecated endpoint answers: the user sees an error, not a 500.
        var rolledBack = await RampPage.UntilAsync(qa, p => RampPage.Status(p, "unlink") == RampStatus.RolledBack, OneUserUnlinksAsync,
            "rolled back", MaxUsersPerPhase, pause: false);
        Assert.Equal("0", RampPage.Percent(rolledBack, "unlink"));
        var failed = Through(UnlinkFlows.AccessToken).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.StartsWith("Error:", r.Status));
        Assert.All(Through(UnlinkFlows.LegacyUnlinkEndpoint), r => Assert.StartsWith("Your", r.Status));
        var decision = rolledBack.QuerySelectorAll("[data-test='ramp-event']").First(r => r.GetAttribute("data-action") == RampActions.RollBack);
        Assert.NotNull(decision.QuerySelector("[data-test='ramp-event-engine']"));
        Assert.Contains("AccessToken fails more often", decision.TextContent);
        Assert.Matches(@"AccessToken 0 of \d+ \(0 %\) succeeded \(\d+ answered 429/5xx by the tenant\)", decision.TextContent);
        Assert.Matches(@"one-sided Fisher exact p = (< )?0\.0\d*", decision.TextContent);
        var recorded = await stack.EventsAsync(e => e is { Operation: LinkingService.Unlink, Flow: UnlinkFlows.AccessToken, Outcome: Outcomes.Rejected, Status: 503 },
            failed.Count);
        Assert.Equal(failed.Count, recorded.Count);

        // The tenant is fixed; QA resumes, and the new flow is as good as the old from now on.
        await stack.Controls.ClearFaultsAsync();
        var resumed = await RampPage.ClickAsync(qa, "control-unlink-resume", f => f.Set("why-control-unlink", "tenant fixed"));
        Assert.Equal(("running", "50"), (RampPage.Status(resumed, "unlink"), RampPage.Percent(resumed, "unlink")));
        var before = _unlinks.Count;
        var done = await RampPage.UntilAsync(qa, p => RampPage.Status(p, "unlink") == RampStatus.Done, OneUserUnlinksAsync, "done", 2 * MaxUsersPerPhase, pause: false);
        Assert.Equal("100", RampPage.Percent(done, "unlink"));
        Assert.All(_unlinks.Skip(before), u => Assert.StartsWith("Your", u.Result.Status));
        Assert.Contains(_unlinks.Skip(before), u => u.Flow == UnlinkFlows.AccessToken);
        Assert.Equal([RampActions.Save, RampActions.Start, RampActions.RollBack, RampActions.Resume, RampActions.Advance, RampActions.Complete],
            RampPage.Actions(done, "unlink"));
    }
}
