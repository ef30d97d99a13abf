using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Pages.Account;

/// <summary>What a sign-out leaves behind in the browser that signed out: no session state, and no silent way back in.</summary>
public sealed class SignOutTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    [Fact]
    public async Task Signing_out_ends_the_session_state_too_so_its_cookie_brought_back_holds_nothing()
    {
        var shared = stack.NewBrowser();
        await shared.SignInAsQaAsync();
        await shared.SetFlagAsync("LinkFlow", "ServerToken", "session");
        var state = StateCookie(shared)!;

        var (_, profile) = await shared.GetPageAsync("/Profile");
        Assert.StartsWith("link: ServerToken", Badge(profile));
        var signedOut = await shared.ClickAsync(profile, "/Profile", "logout");
        Assert.StartsWith(stack.Url + "/v2/logout", TestBrowser.RedirectTarget(signedOut)!.ToString());
        Assert.Null(StateCookie(shared)); // dropped by the sign-out's own response

        // The same user elsewhere, handed the old state cookie (it was copied, or the browser kept it): the state it
        // named ended with the sign-out, so QA's per-session override is not back.
        var elsewhere = stack.NewBrowser();
        await elsewhere.SignInAsQaAsync();
        var own = Badge((await elsewhere.GetPageAsync("/Profile")).Page);
        Assert.DoesNotContain("ServerToken", own);
        elsewhere.Cookies.Add(new Uri(stack.AppUrl), new Cookie(state.Name, state.Value, "/"));
        Assert.Equal(own, Badge((await elsewhere.GetPageAsync("/Profile")).Page));
    }

    [Fact]
    public async Task Signing_out_everywhere_sends_this_browser_to_a_fresh_login_even_when_the_tenants_logout_is_never_reached()
    {
        var here = stack.NewBrowser();
        await here.SignInAsJohnAsync();
        var (_, logoutPage) = await here.GetPageAsync("/Account/Logout");

        var signedOut = await here.ClickAsync(logoutPage, "/Account/Logout", "logout-everywhere");

        // The redirect to the tenant's /v2/logout is not followed (closed tab, network gone): the tenant's session in
        // this browser lives on and would answer a plain challenge by itself.
        Assert.StartsWith(stack.Url + "/v2/logout", TestBrowser.RedirectTarget(signedOut)!.ToString());
        await FreshLogin.AssertNextRequestLandsOnTheLoginFormAsync(here);
    }

    private static string? Badge(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector("[data-test='flow-badge']")?.TextContent;

    private static Cookie? StateCookie(AppBrowser browser) =>
        browser.Cookies.GetAllCookies().FirstOrDefault(c => c.Name == "ll_app_state" && !c.Expired);
}
