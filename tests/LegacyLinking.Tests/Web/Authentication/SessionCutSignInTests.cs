using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// After the app ends a session (sign out everywhere, a link or unlink elsewhere, a password reset), the tenant's own
/// session in that browser is still valid: the browser's next sign-in must be a fresh login, not a silent one.
/// </summary>
public sealed class SessionCutSignInTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_out_everywhere_from_the_header_sends_the_other_browser_to_the_tenants_login_form()
    {
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var laptop = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();

        var (_, profile) = await laptop.GetPageAsync("/Profile");
        var signedOut = await laptop.ClickAsync(profile, "/Profile", "nav-logout-everywhere"); // in the header of every page
        Assert.StartsWith(stack.Url + "/v2/logout", TestBrowser.RedirectTarget(signedOut)!.ToString());

        await FreshLogin.AssertNextRequestLandsOnTheLoginFormAsync(phone);
    }

    [Fact]
    public async Task A_browser_that_dropped_the_apps_cookies_is_not_signed_back_in_by_the_tenants_older_login()
    {
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct); // auth_time has whole seconds: the phone's login is before the cut's second
        var laptop = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();
        var (_, profile) = await laptop.GetPageAsync("/Profile");
        await laptop.ClickAsync(profile, "/Profile", "nav-logout-everywhere");

        // Whoever holds the phone drops the app's cookies (the marker with them) but keeps the tenant's session.
        foreach (Cookie cookie in phone.Cookies.GetAllCookies())
            if (cookie.Name.StartsWith("ll_app_", StringComparison.Ordinal)) cookie.Expired = true;

        var silent = await phone.Tenant.OpenAsync(phone.Start("/Profile"));
        Assert.False(silent.IsLoginPage, "the tenant's session answers a plain challenge by itself");
        var back = await phone.FollowAsync(await silent.DeliverAsync(phone.Http));
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode); // not the profile: no session from that login
        var again = TestBrowser.RedirectTarget(back)!;
        Assert.True((await phone.Tenant.OpenAsync(again)).IsLoginPage, $"expected the tenant's login form, got {again}");
        Assert.True(await phone.IsSignedOutAsync());
    }

    [Fact]
    public async Task A_tenant_that_answers_the_fresh_challenge_with_an_old_login_signs_nobody_in()
    {
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var laptop = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();
        var (_, profile) = await laptop.GetPageAsync("/Profile");
        await laptop.ClickAsync(profile, "/Profile", "nav-logout-everywhere");

        var authorize = TestBrowser.RedirectTarget(await phone.Http.GetAsync("/Profile", Ct))!;
        await stack.Controls.MutateNextIdTokenAsync("auth_time-old"); // ignores prompt=login and max_age=0
        var step = await phone.Tenant.ContinueAsAsync(authorize, Seeded.John);
        var refused = await phone.FollowAsync(await step.DeliverAsync(phone.Http));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(await phone.IsSignedOutAsync());
    }
}
