using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>A link or unlink ends the user's other sessions; the session that made it carries on.</summary>
public sealed class SessionEpochsTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task Linking_ends_the_users_other_sessions_and_keeps_its_own()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        var laptop = stack.NewBrowser();
        var phone = stack.NewBrowser();
        await laptop.SignInAsJohnAsync();
        await phone.SignInAsJohnAsync();
        Assert.Equal(HttpStatusCode.OK, (await phone.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);

        var linked = await laptop.LinkSmsAsync();
        Assert.StartsWith("Your Phone account is linked", linked.Status);

        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);
        var phoneSession = SessionKey(phone);
        await AssertSignedOutAsync(phone);

        // The ended session is signed out, not only refused: its cookie is deleted and its ticket forgotten, so the
        // cookie opens nothing even once the cut itself is gone.
        Assert.DoesNotContain(phone.Cookies.GetAllCookies(), c => c.Name == "ll_app_session" && !c.Expired);
        await stack.ForgetSessionCutsAsync();
        await AssertKeyOpensNothingAsync(phoneSession);
    }

    [Fact]
    public async Task Unlinking_ends_the_sessions_signed_in_through_the_removed_identity()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        var owner = stack.NewBrowser();
        await owner.SignInAsJohnAsync();
        Assert.StartsWith("Your Phone account is linked", (await owner.LinkSmsAsync()).Status);

        // Someone who holds the phone signs in with it: once linked, that is a session for John's account.
        var holder = stack.NewBrowser();
        var signedIn = await holder.SignInAsync((driver, start) => driver.LoginWithSmsAsync(start, Seeded.JohnSmsPhone));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await holder.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);

        var unlinked = await owner.UnlinkAsync("sms", Seeded.JohnSms["sms|".Length..]);
        Assert.StartsWith("Your Phone account is unlinked", unlinked.Status);

        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);
        await AssertSignedOutAsync(holder);
    }

    [Fact]
    public async Task A_refused_unlink_ends_no_session()
    {
        var first = stack.NewBrowser();
        var second = stack.NewBrowser();
        await first.SignInAsJohnAsync();
        await second.SignInAsJohnAsync();
        var refused = await first.PostUnlinkAsync("github", "999");
        Assert.DoesNotContain("unlinked:", refused.Status);
        Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task The_session_that_links_or_unlinks_carries_on_under_a_new_key_and_the_old_key_opens_nothing()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        var browser = stack.NewBrowser();
        await browser.SignInAsJohnAsync();

        var beforeLink = SessionKey(browser);
        Assert.StartsWith("Your Phone account is linked", (await browser.LinkSmsAsync()).Status);
        var afterLink = SessionKey(browser);
        Assert.NotEqual(beforeLink, afterLink);
        await AssertKeyOpensNothingAsync(beforeLink);

        Assert.StartsWith("Your Phone account is unlinked", (await browser.UnlinkAsync("sms", Seeded.JohnSms["sms|".Length..])).Status);
        Assert.NotEqual(afterLink, SessionKey(browser));
        await AssertKeyOpensNothingAsync(afterLink);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Profile", TestContext.Current.CancellationToken)).StatusCode);
    }

    private async Task AssertKeyOpensNothingAsync(string sessionCookie)
    {
        var replay = stack.NewBrowser();
        replay.Cookies.Add(new Uri(stack.AppUrl), new Cookie("ll_app_session", sessionCookie, "/"));
        Assert.True(await replay.IsSignedOutAsync(), "the session cookie from before the change still opens a session");
    }

    private static string SessionKey(AppBrowser browser) =>
        browser.Cookies.GetAllCookies().Single(c => c.Name == "ll_app_session" && !c.Expired).Value;

    /// <summary>The session is gone: the app sends the browser to the tenant for a fresh login (its tenant session would sign it straight back in).</summary>
    private static Task AssertSignedOutAsync(AppBrowser browser) => FreshLogin.AssertNextRequestLandsOnTheLoginFormAsync(browser);
}
