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

    [Fact]
    public async Task After_a_cut_a_sign_in_without_auth_time_counts_only_when_the_app_asked_for_a_fresh_login()
    {
        var laptop = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();
        var (_, profile) = await laptop.GetPageAsync("/Profile");
        await laptop.ClickAsync(profile, "/Profile", "nav-logout-everywhere");

        // A browser the app never saw: its challenge is a plain one, and the tenant's ID token says nothing of when the
        // login happened. It may be a login from before the cut, so it opens no session: the browser is sent to a fresh one.
        var tablet = stack.NewBrowser();
        await stack.Controls.MutateNextIdTokenAsync("auth_time-missing", count: 2);
        var step = await tablet.Tenant.ContinueAsAsync(tablet.Start("/Profile"), Seeded.John);
        var sentBack = await step.DeliverAsync(tablet.Http);
        Assert.Equal("/Account/Login", TestBrowser.RedirectTarget(sentBack)?.AbsolutePath);
        Assert.True(await tablet.IsSignedOutAsync());

        // The fresh login the app asked for (prompt=login, max_age=0), still without auth_time, is after the cut: signed in.
        var authorize = TestBrowser.RedirectTarget(await tablet.Http.GetAsync("/Profile", Ct))!;
        Assert.Equal("login", Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query)["prompt"]);
        var fresh = await tablet.Tenant.ContinueAsAsync(authorize, Seeded.John);
        var (signedIn, page) = await tablet.GetPageAsync(TestBrowser.RedirectTarget(await fresh.DeliverAsync(tablet.Http))!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(Seeded.John, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
    }
}
