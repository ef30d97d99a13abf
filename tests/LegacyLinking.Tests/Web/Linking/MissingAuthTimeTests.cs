using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// A provider that leaves <c>auth_time</c> out of its ID tokens even after <c>max_age=0</c> (OIDC requires it; an
/// independent emulator was seen doing it): linking must not send the user round the sign-in for ever.
/// </summary>
public sealed class MissingAuthTimeTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        await stack.Controls.ResetAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stack.Controls.ResetAsync();
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
    }

    [Fact]
    public async Task The_primary_is_asked_to_sign_in_again_once_and_is_then_told_why_instead_of_looping()
    {
        var john = stack.NewBrowser();
        await stack.Controls.MutateNextIdTokenAsync("auth_time-missing", count: 2); // the sign-in and the one retry
        await john.SignInAsJohnAsync();

        // First click: the session says nothing of its sign-in time, so the app asks for a fresh sign-in, once.
        var (_, profile) = await john.GetPageAsync("/Profile");
        var first = await john.ClickAsync(profile, "/Profile", "link-sms");
        Assert.Equal("/Profile/Confirm", TestBrowser.RedirectTarget(first)?.AbsolutePath);
        var confirm = HtmlForm.Parse(await (await john.FollowAsync(first)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var authorize = TestBrowser.RedirectTarget(await john.ClickAsync(confirm, "/Profile/Confirm", "confirm-continue"))!;
        Assert.True(TestBrowser.SameOrigin(authorize, new Uri(stack.Url)), $"expected the tenant's sign-in, got {authorize}");
        Assert.Equal("0", QueryHelpers.ParseQuery(authorize.Query)["max_age"]);
        var step = await john.Tenant.ContinueAsAsync(authorize, Seeded.John);
        var resumed = await john.FollowAsync(await step.DeliverAsync(john.Http));

        // That fresh sign-in also came back without auth_time: the kept request ends with a message, not another round.
        var status = HtmlForm.Parse(await resumed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .QuerySelector("[data-test='status-message']")?.TextContent;
        Assert.Contains("auth_time", status);
        Assert.Contains("Nothing was linked", status);

        // And a second click says so at once instead of sending the user to the confirmation and the sign-in again.
        var (_, again) = await john.GetPageAsync("/Profile");
        var second = await john.ClickAsync(again, "/Profile", "link-sms");
        var target = TestBrowser.RedirectTarget(second)!;
        Assert.Equal("/Profile", target.AbsolutePath);
        var (_, page) = await john.GetPageAsync(target.PathAndQuery);
        Assert.Contains("Nothing was linked", page.QuerySelector("[data-test='status-message']")?.TextContent);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_secondary_login_without_auth_time_is_refused_naming_the_cause()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.MutateNextIdTokenAsync("auth_time-missing");

        var result = await john.LinkSmsAsync();

        Assert.StartsWith("Error:", result.Status);
        Assert.Contains("did not say when you signed in", result.Status);
        Assert.DoesNotContain("sign in to it again", result.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }
}
