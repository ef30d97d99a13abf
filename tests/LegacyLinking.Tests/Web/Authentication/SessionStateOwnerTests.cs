using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>The session-state cookie (QA's per-session overrides, recent attempts) belongs to the user who wrote it.</summary>
public sealed class SessionStateOwnerTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Qas_session_overrides_and_recent_attempts_do_not_reach_the_next_account_on_the_browser()
    {
        var johnsOwn = await BadgeAsync(await NewJohnAsync());
        var shared = stack.NewBrowser();
        await shared.SignInAsQaAsync();
        await shared.SetFlagAsync("LinkFlow", "ServerToken", "session");
        await shared.PostUnlinkAsync("github", "999"); // refused, but listed under recent attempts
        var (_, qaProfile) = await shared.GetPageAsync("/Profile");
        Assert.StartsWith("link: ServerToken", Badge(qaProfile));
        Assert.NotEmpty(qaProfile.QuerySelectorAll("[data-test='attempt-row']"));

        // QA's session on that browser ends elsewhere (sign out everywhere on another device); John signs in there.
        var other = stack.NewBrowser();
        await other.SignInAsQaAsync();
        var (_, otherProfile) = await other.GetPageAsync("/Profile");
        await other.ClickAsync(otherProfile, "/Profile", "nav-logout-everywhere");
        await shared.SignInAsJohnAsync();

        var (_, johnsProfile) = await shared.GetPageAsync("/Profile");
        Assert.Equal("John Doe", johnsProfile.QuerySelector("[data-test='current-user']")?.TextContent);
        Assert.Equal(johnsOwn, Badge(johnsProfile));
        Assert.Empty(johnsProfile.QuerySelectorAll("[data-test='attempt-row']"));
    }

    [Fact]
    public async Task A_session_state_cookie_planted_before_sign_in_is_not_the_one_after_it()
    {
        var attacker = stack.NewBrowser();
        await attacker.SignInAsQaAsync();
        await attacker.SetFlagAsync("LinkFlow", "ServerToken", "session");
        var planted = StateCookie(attacker)!;

        var johnsOwn = await BadgeAsync(await NewJohnAsync());
        Assert.DoesNotContain("link: ServerToken", johnsOwn);
        var victim = stack.NewBrowser();
        victim.Cookies.Add(new Uri(stack.AppUrl), new Cookie(planted.Name, planted.Value, "/"));
        await victim.SignInAsJohnAsync();
        var (_, profile) = await victim.GetPageAsync("/Profile");
        Assert.Equal(johnsOwn, Badge(profile));
        Assert.NotEqual(planted.Value, StateCookie(victim)?.Value);
    }

    [Fact]
    public async Task Another_users_session_state_planted_into_a_signed_in_browser_is_not_read()
    {
        var attacker = stack.NewBrowser();
        await attacker.SignInAsQaAsync();
        await attacker.SetFlagAsync("LinkFlow", "ServerToken", "session"); // would move the victim's links to another flow
        var planted = StateCookie(attacker)!;

        var victim = await NewJohnAsync();
        var johnsOwn = await BadgeAsync(victim);
        Assert.DoesNotContain("link: ServerToken", johnsOwn);
        victim.Cookies.Add(new Uri(stack.AppUrl), new Cookie(planted.Name, planted.Value, "/")); // no sign-in in between
        Assert.Equal(johnsOwn, await BadgeAsync(victim));
    }

    private async Task<AppBrowser> NewJohnAsync()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        return john;
    }

    private static async Task<string?> BadgeAsync(AppBrowser browser) => Badge((await browser.GetPageAsync("/Profile")).Page);

    private static string? Badge(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector("[data-test='flow-badge']")?.TextContent;

    private static Cookie? StateCookie(AppBrowser browser) =>
        browser.Cookies.GetAllCookies().FirstOrDefault(c => c.Name == "ll_app_state" && !c.Expired);
}
