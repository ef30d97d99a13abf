using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// Every flow of the catalogue, from its entry alone: chosen by its name (a variant QA can set), it runs and names
/// itself; a legacy one makes the tenant log a depnote for the feature its entry names, and switching off the tenant
/// flag its entry names stops it clearly; a current one uses no deprecated feature. (The tenant notes a feature once an
/// hour, as Auth0 does: each case starts by opening the hour windows with <c>POST /test/reset</c>.)
/// </summary>
public sealed class FlowCatalogueTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    // Each case opens the tenant's hour windows and reads the depnotes of its last second: the case before must be older
    // than that, or a legacy case's notes show up in the current one that follows it on a fast machine.
    public async ValueTask InitializeAsync()
    {
        await stack.Controls.ResetAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    public static TheoryData<string, string> Flows => new(FlowCatalogue.All.Select(f => (f.Operation, f.Name)));

    [Theory]
    [MemberData(nameof(Flows))]
    public async Task Each_catalogued_flow_runs_by_its_name_and_depends_on_the_tenant_feature_its_entry_names(string operation, string name)
    {
        var flow = FlowCatalogue.All.Single(f => f.Operation == operation && f.Name == name);
        var isLink = operation == LinkingService.Link;
        await stack.UseFlowsAsync(isLink ? name : LinkFlows.AccessToken, isLink ? UnlinkFlows.AccessToken : name);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        if (!isLink) await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);

        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var result = isLink ? await john.LinkSmsAsync() : await john.UnlinkAsync("sms", SmsId);
        Assert.Equal(name, result.Flow);
        Assert.StartsWith(isLink ? "Your Phone account is linked" : "Your Phone account is unlinked", result.Status);
        var notes = (await TenantAdmin.DepnotesAsync(stack)).Where(n => n.Date >= since && n.UserId == Seeded.John).Select(n => n.Feature).ToList();
        if (flow.Deprecated is not { } deprecated)
        {
            Assert.Empty(notes);
            return;
        }
        Assert.Contains(deprecated.DepnoteFeature, notes);

        // Back to the state the flow starts from, then the tenant switches the deprecated feature off.
        if (isLink) await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        else await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);
        await TenantAdmin.SetFlagAsync(stack, deprecated.TenantFlag, false);
        try
        {
            var refused = isLink ? await john.LinkSmsAsync() : await john.UnlinkAsync("sms", SmsId);
            Assert.Contains("switched off on the sign-in service", refused.Status);
            Assert.Equal(isLink ? [Seeded.John] : [Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        }
        finally
        {
            await TenantAdmin.SetFlagAsync(stack, deprecated.TenantFlag, true);
        }
    }
}
