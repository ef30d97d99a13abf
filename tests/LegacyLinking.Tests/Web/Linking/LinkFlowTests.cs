using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>Every link and unlink flow, driven from the profile page against the real tenant.</summary>
public sealed class LinkFlowTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    // Each test starts from the seeded state even when a previous one failed half-way.
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    public static TheoryData<string, string> FlowPairs => new()
    {
        { LinkFlows.AccessToken, UnlinkFlows.AccessToken },
        { LinkFlows.ServerToken, UnlinkFlows.ServerToken },
        { LinkFlows.LegacyIdToken, UnlinkFlows.LegacyIdToken },
        { LinkFlows.LegacyAuthorize, UnlinkFlows.LegacyUnlinkEndpoint },
    };

    private Task UseFlowsAsync(string link, string unlink) => stack.UseFlowsAsync(link, unlink);

    [Theory]
    [MemberData(nameof(FlowPairs))]
    public async Task Links_and_unlinks_the_sms_account(string linkFlow, string unlinkFlow)
    {
        await UseFlowsAsync(linkFlow, unlinkFlow);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        var linked = await john.LinkSmsAsync();
        Assert.Equal(linkFlow, linked.Flow);
        Assert.StartsWith("Your Phone account is linked", linked.Status);
        Assert.True(linked.HasIdentity("sms", SmsId), linked.Status);
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        var user = await TenantAdmin.GetUserAsync(stack, Seeded.John);
        Assert.Equal("red", user.GetProperty("user_metadata").GetProperty("color").GetString());

        var unlinked = await john.UnlinkAsync("sms", SmsId);
        Assert.Equal(unlinkFlow, unlinked.Flow);
        Assert.StartsWith("Your Phone account is unlinked", unlinked.Status);
        Assert.False(unlinked.HasIdentity("sms", SmsId));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.Equal([Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.JohnSms));

        // Both requests are in the migration record with the flow that ran and why.
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Outcome: "ok", Reason: "QaGlobal" } && e.Flow == linkFlow && e.UserId == Seeded.John));
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "unlink", Outcome: "ok" } && e.Flow == unlinkFlow && e.UserId == Seeded.John));
    }

    public static TheoryData<string, string> LegacyFlowsAndTheirTenantFlags => new()
    {
        { LinkFlows.LegacyIdToken, TenantAdmin.IdTokenBearer },
        { LinkFlows.LegacyAuthorize, TenantAdmin.AuthorizeLinking },
    };

    [Theory]
    [MemberData(nameof(LegacyFlowsAndTheirTenantFlags))]
    public async Task A_legacy_link_flow_fails_clearly_when_the_tenant_switched_it_off(string flow, string tenantFlag)
    {
        await UseFlowsAsync(flow, UnlinkFlows.AccessToken);
        await TenantAdmin.SetFlagAsync(stack, tenantFlag, false);
        try
        {
            var john = stack.NewBrowser();
            await john.SignInAsJohnAsync();
            var result = await john.LinkSmsAsync();
            Assert.Equal("Error: This way of linking has been switched off on the sign-in service. Nothing was linked. Please tell your administrator.", result.Status);
            Assert.Null(result.Page.QuerySelector("[data-test='status-detail']"));

            // QA and support also see the recorded message under it: the one docs/migration.md quotes for support.
            var qa = stack.NewBrowser();
            await qa.SignInAsQaAsync();
            var seen = await qa.LinkSmsAsync("+15550000071");
            var detail = seen.Page.QuerySelector("[data-test='status-detail']")?.TextContent.Trim();
            Assert.StartsWith("For QA: Error: ", detail);
            Assert.True(MigrationGuide.Quotes(detail!["For QA: ".Length..]), $"docs/migration.md does not tell support about: {detail}");
            Assert.False(result.HasIdentity("sms", SmsId));
            Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
            Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Outcome: "rejected" } && e.Flow == flow));
        }
        finally
        {
            await TenantAdmin.SetFlagAsync(stack, tenantFlag, true);
        }
    }

    public static TheoryData<string, string> LegacyUnlinkFlowsAndTheirTenantFlags => new()
    {
        { UnlinkFlows.LegacyIdToken, TenantAdmin.IdTokenBearer },
        { UnlinkFlows.LegacyUnlinkEndpoint, TenantAdmin.LegacyUnlinkEndpoint },
    };

    [Theory]
    [MemberData(nameof(LegacyUnlinkFlowsAndTheirTenantFlags))]
    public async Task A_legacy_unlink_flow_fails_clearly_when_the_tenant_switched_it_off(string flow, string tenantFlag)
    {
        await UseFlowsAsync(LinkFlows.AccessToken, flow);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await john.LinkSmsAsync();
        await TenantAdmin.SetFlagAsync(stack, tenantFlag, false);
        try
        {
            var result = await john.UnlinkAsync("sms", SmsId);
            Assert.Equal("Error: This way of unlinking has been switched off on the sign-in service. Nothing was unlinked. Please tell your administrator.", result.Status);
            Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "unlink", Outcome: "rejected" } && e.Flow == flow));
            Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        }
        finally
        {
            await TenantAdmin.SetFlagAsync(stack, tenantFlag, true);
            await UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
            await john.UnlinkAsync("sms", SmsId);
        }
    }

}

/// <summary>Its own tenant: the merge only writes the first time John's metadata meets the sms account's.</summary>
public sealed class MetadataMergeFlowTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    private Task UseFlowsAsync(string link, string unlink) => stack.UseFlowsAsync(link, unlink);

    [Fact]
    public async Task User_metadata_is_merged_before_linking_and_app_metadata_is_not_by_default()
    {
        await UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        await TenantAdmin.PatchUserAsync(stack, Seeded.JohnSms, new { user_metadata = new { nickname = "phone" } });
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var linked = await john.LinkSmsAsync();
        Assert.Contains("Copied from that account into yours: nickname.", linked.Status);
        Assert.Contains("Not copied: roles", linked.Status);

        // The primary wins (red, not blue); the other account's roles never join the user's.
        var user = await TenantAdmin.GetUserAsync(stack, Seeded.John);
        Assert.Equal("red", user.GetProperty("user_metadata").GetProperty("color").GetString());
        Assert.Equal("phone", user.GetProperty("user_metadata").GetProperty("nickname").GetString());
        Assert.Equal(["Admin"], user.GetProperty("app_metadata").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        await john.UnlinkAsync("sms", SmsId);
    }
}
