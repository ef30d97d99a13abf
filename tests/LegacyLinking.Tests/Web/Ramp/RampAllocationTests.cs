using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Ramp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace LegacyLinking.Tests.Web.Ramp;

/// <summary>
/// The plan written as the flag's allocation, through Microsoft.FeatureManagement itself, with the app's own flag
/// definitions (its seed): the split, stickiness within a step, and only old → new moves when a step is raised.
/// </summary>
public sealed class RampAllocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly RampActor Qa = new("auth0|qa", "QA Tester", "qa@example.com", "test");
    private static readonly string[] Users = Enumerable.Range(0, 2000).Select(i => $"auth0|ramp-user-{i}").ToArray();

    private static async Task<Dictionary<string, string>> FlowsAsync(AppDataHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var flags = scope.ServiceProvider.GetRequiredService<IVariantFeatureManager>();
        var flows = new Dictionary<string, string>();
        foreach (var user in Users)
            flows[user] = (await flags.GetVariantAsync(FlagNames.LinkFlow, new TargetingContext { UserId = user }, Ct))!.Name;
        return flows;
    }

    private static Task<string> SaveAsync(RampStore store, bool dryRun = false) =>
        store.SaveAsync(new RampPlanInput(LinkingService.Link, LinkFlows.LegacyIdToken, LinkFlows.AccessToken, "25, 50, 100", "60", "10", "0.05", dryRun)
            .Validate([])!, Qa, Ct);

    [Fact]
    public async Task At_25_percent_a_quarter_of_users_is_on_the_new_flow_each_keeps_it_and_raising_the_step_only_moves_old_to_new()
    {
        await using var host = await AppDataHost.StartAsync();
        var store = host.Services.GetRequiredService<RampStore>();
        await SaveAsync(store);
        Assert.All((await FlowsAsync(host)).Values, flow => Assert.Equal(LinkFlows.LegacyIdToken, flow)); // a draft changes nothing

        await store.ControlAsync(LinkingService.Link, RampActions.Start, Qa, Ct);
        var at25 = await FlowsAsync(host);
        var share = at25.Values.Count(f => f == LinkFlows.AccessToken) / (double)Users.Length;
        Assert.InRange(share, 0.22, 0.28);
        Assert.All(at25.Values, f => Assert.Contains(f, new[] { LinkFlows.AccessToken, LinkFlows.LegacyIdToken }));
        Assert.Equal(at25, await FlowsAsync(host)); // the same user always gets the same flow within a step

        await store.ControlAsync(LinkingService.Link, RampActions.Advance, Qa, Ct);
        var at50 = await FlowsAsync(host);
        Assert.InRange(at50.Values.Count(f => f == LinkFlows.AccessToken) / (double)Users.Length, 0.46, 0.54);
        Assert.All(Users.Where(u => at25[u] == LinkFlows.AccessToken), u => Assert.Equal(LinkFlows.AccessToken, at50[u]));

        await store.ControlAsync(LinkingService.Link, RampActions.Abort, Qa, Ct);
        Assert.All((await FlowsAsync(host)).Values, flow => Assert.Equal(LinkFlows.LegacyIdToken, flow));
    }

    [Fact]
    public async Task A_global_override_wins_over_the_plan_and_a_dry_run_leaves_the_allocation_alone()
    {
        await using var host = await AppDataHost.StartAsync();
        var store = host.Services.GetRequiredService<RampStore>();
        await SaveAsync(store, dryRun: true);
        await store.ControlAsync(LinkingService.Link, RampActions.Start, Qa, Ct);
        Assert.All((await FlowsAsync(host)).Values, flow => Assert.Equal(LinkFlows.LegacyIdToken, flow));

        await store.ControlAsync(LinkingService.Link, RampActions.Abort, Qa, Ct);
        await SaveAsync(store);
        await store.ControlAsync(LinkingService.Link, RampActions.Start, Qa, Ct);
        await host.Services.GetRequiredService<GlobalFlagOverrides>().SetAsync(FlagNames.LinkFlow, LinkFlows.ServerToken, "auth0|qa", Ct);
        Assert.All((await FlowsAsync(host)).Values, flow => Assert.Equal(LinkFlows.ServerToken, flow));
    }
}
