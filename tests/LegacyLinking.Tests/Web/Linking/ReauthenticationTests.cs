using LegacyLinking.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>An app that wants the primary's sign-in to be at most four seconds old when a link starts.</summary>
public sealed class ShortReauthenticationWindow : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Linking:PrimaryReauthenticationSeconds", "4")];
}

public sealed class ReauthenticationTests(ShortReauthenticationWindow stack) : IClassFixture<ShortReauthenticationWindow>
{
    [Fact]
    public async Task A_stale_primary_session_must_sign_in_again_before_linking()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await Task.Delay(TimeSpan.FromSeconds(5.5), TestContext.Current.CancellationToken);

        var (_, profile) = await john.GetPageAsync("/Profile");
        var start = await john.ClickAsync(profile, "/Profile", "link-sms");

        var authorize = TestBrowser.RedirectTarget(start)!;
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(stack.AppUrl + "/callback", query["redirect_uri"]); // the primary's own sign-in, not the link
        Assert.Equal("login", query["prompt"]);
        Assert.Equal("0", query["max_age"]);

        // After signing in again the link goes ahead as usual.
        var step = await john.Tenant.ContinueAsAsync(authorize, Seeded.John);
        var back = await john.FollowAsync(await step.DeliverAsync(john.Http));
        var page = HtmlForm.Parse(await back.Content.ReadAsStringAsync());
        Assert.Contains("Confirm it's you", page.QuerySelector("[data-test='status-message']")?.TextContent);
        var linked = await john.LinkSmsAsync();
        Assert.StartsWith("Linked", linked.Status);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
    }
}
