using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>An app whose team lets the merge copy one app_metadata key, <c>plan</c>.</summary>
public sealed class PlanIsMergedStack : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Linking:MergeAppMetadataKeys:0", "plan")];
}

/// <summary>
/// The metadata merge never carries authorization from the linked account into the user's: app_metadata is copied only
/// for the keys a team lists, and the keys access is decided from never.
/// </summary>
public sealed class MetadataMergeAuthorizationTests(PlanIsMergedStack stack) : IClassFixture<PlanIsMergedStack>
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    [Fact]
    public async Task Linking_an_account_of_the_qa_group_gives_no_qa_rights_before_or_after_the_unlink()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        await TenantAdmin.PatchUserAsync(stack, Seeded.JohnSms, new
        {
            app_metadata = new { groups = new[] { "qa" }, permissions = new[] { "flags:write" }, plan = "gold" },
        });
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await AssertNoQaConsoleAsync(john);

        var linked = await john.LinkSmsAsync();
        Assert.StartsWith("Your Phone account is linked", linked.Status);
        Assert.Contains("Copied from that account into yours: plan.", linked.Status);
        Assert.Contains("Not copied: roles, groups, permissions", linked.Status);
        var appMetadata = (await TenantAdmin.GetUserAsync(stack, Seeded.John)).GetProperty("app_metadata");
        Assert.Equal("""{"roles":["Admin"],"plan":"gold"}""", appMetadata.GetRawText().Replace(" ", "").Replace("\n", ""));

        // Signed in again, with either of the now linked accounts: still no QA rights.
        var again = stack.NewBrowser();
        await again.SignInAsJohnAsync();
        await AssertNoQaConsoleAsync(again);
        var throughSms = stack.NewBrowser();
        await throughSms.SignInAsync((d, s) => d.LoginWithSmsAsync(s, Seeded.JohnSmsPhone));
        await AssertNoQaConsoleAsync(throughSms);

        await again.UnlinkAsync("sms", SmsId);
        var afterUnlink = stack.NewBrowser();
        await afterUnlink.SignInAsJohnAsync();
        await AssertNoQaConsoleAsync(afterUnlink);
        Assert.False((await TenantAdmin.GetUserAsync(stack, Seeded.John)).GetProperty("app_metadata").TryGetProperty("groups", out _));
    }

    private static async Task AssertNoQaConsoleAsync(AppBrowser browser)
    {
        var response = await browser.Http.GetAsync("/Qa/Flags");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }
}
