using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>An app that wants the primary's sign-in to be at most two seconds old to link or unlink.</summary>
public sealed class SessionCookieStack : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Linking:PrimaryReauthenticationSeconds", "2")];
}

/// <summary>Catalogue 47: the app's cookies carry the right attributes, and a sign-in issues a new session key.</summary>
public sealed class SessionCookieTests(SessionCookieStack stack) : IClassFixture<SessionCookieStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_cookie_the_app_sets_is_its_own_http_only_and_same_site()
    {
        var browser = stack.NewBrowser();
        var challenge = await browser.Http.GetAsync("/Profile", Ct);
        var correlation = SetCookies(challenge);
        Assert.Contains(correlation, c => c.StartsWith("ll_app_correlation.", StringComparison.Ordinal));
        Assert.Contains(correlation, c => c.StartsWith("ll_app_nonce.", StringComparison.Ordinal));

        var step = await browser.Tenant.ContinueAsAsync(TestBrowser.RedirectTarget(challenge)!, Seeded.John);
        var callback = await step.DeliverAsync(browser.Http);
        var page = await browser.Http.GetAsync("/Profile", Ct); // the first page sets the antiforgery cookie
        var profile = HtmlForm.Parse(await page.Content.ReadAsStringAsync(Ct));
        var linkStart = await browser.ClickAsync(profile, "/Profile", "link-sms"); // the pending attempt is the first session state
        var all = correlation.Concat(SetCookies(callback)).Concat(SetCookies(page)).Concat(SetCookies(linkStart)).ToList();

        AssertCookie(all, "ll_app_session", "samesite=lax");
        AssertCookie(all, "ll_app_state", "samesite=lax");
        AssertCookie(all, "ll_app_af", "samesite=strict");
        AssertCookie(all, "ll_app_correlation.", "samesite=lax", "/callback"); // sent back to the callback only
        AssertCookie(all, "ll_app_nonce.", "samesite=lax", "/callback");
        Assert.All(all, c => Assert.StartsWith("ll_app_", c)); // never the tenant's ll_tenant_* (cookies do not isolate by port)
        Assert.NotNull(profile.QuerySelector("[data-test='nav-logout-everywhere']"));
    }

    [Fact]
    public void Every_cookie_is_secure_whenever_the_app_is_served_over_https()
    {
        var services = stack.App.Services;
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(AuthSchemes.Auth0);
        var link = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(AuthSchemes.Auth0Link);
        var builders = new[]
        {
            services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AuthSchemes.Cookie).Cookie,
            services.GetRequiredService<IOptions<SessionOptions>>().Value.Cookie,
            services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie,
            services.GetRequiredService<IOptions<CookieTempDataProviderOptions>>().Value.Cookie,
            oidc.CorrelationCookie, oidc.NonceCookie, link.CorrelationCookie, link.NonceCookie,
        };
        // Plain-http loopback development keeps them (a Secure cookie would be dropped there); over HTTPS all are Secure.
        Assert.All(builders, b => Assert.Equal(CookieSecurePolicy.SameAsRequest, b.SecurePolicy));
        var https = new DefaultHttpContext();
        https.Request.Scheme = "https";
        Assert.All(builders, b => Assert.True(b.Build(https).Secure, b.Name));
    }

    [Fact]
    public async Task A_session_cookie_planted_before_sign_in_does_not_carry_the_new_session()
    {
        var attacker = stack.NewBrowser();
        await attacker.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub));
        var planted = SessionCookie(attacker);

        // The victim's browser carries the attacker's session cookie into the victim's own sign-in.
        var victim = stack.NewBrowser();
        var step = await victim.Tenant.ContinueAsAsync(victim.Start("/Account/Login"), Seeded.John);
        victim.Cookies.Add(new Uri(stack.AppUrl), new Cookie("ll_app_session", planted, "/"));
        await victim.FollowAsync(await step.DeliverAsync(victim.Http));
        Assert.NotEqual(planted, SessionCookie(victim));
        Assert.Equal("John Doe", (await victim.GetPageAsync("/Profile")).Page.QuerySelector("[data-test='current-user']")?.TextContent);

        // The planted cookie does not open John's session (it opens nothing any more).
        Assert.True(await attacker.IsSignedOutAsync(), "the planted key now holds the victim's session");
    }

    [Fact]
    public async Task A_fresh_sign_in_issues_a_new_session_key_and_the_one_before_it_is_refused()
    {
        var browser = stack.NewBrowser();
        await browser.SignInAsJohnAsync();
        var before = SessionCookie(browser);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct); // past the sign-in window: a link needs a fresh sign-in first
        var (_, profile) = await browser.GetPageAsync("/Profile");
        var confirm = await browser.FollowAsync(await browser.ClickAsync(profile, "/Profile", "link-sms"));
        var confirmPage = HtmlForm.Parse(await confirm.Content.ReadAsStringAsync(Ct));
        var authorize = TestBrowser.RedirectTarget(await browser.ClickAsync(confirmPage, confirm.RequestMessage!.RequestUri!.PathAndQuery, "confirm-continue"))!;
        var step = await browser.Tenant.ContinueAsAsync(authorize, Seeded.John);
        await step.DeliverAsync(browser.Http); // signed in afresh (the kept link would start next; not followed)

        Assert.NotEqual(before, SessionCookie(browser));
        var replay = stack.NewBrowser();
        replay.Cookies.Add(new Uri(stack.AppUrl), new Cookie("ll_app_session", before, "/"));
        Assert.True(await replay.IsSignedOutAsync(), "the cookie from before the fresh sign-in still opens a session");
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/", Ct)).StatusCode);
    }

    private static string SessionCookie(AppBrowser browser) =>
        browser.Cookies.GetAllCookies().Single(c => c.Name == "ll_app_session" && !c.Expired).Value;

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    /// <summary>The first Set-Cookie of <paramref name="name"/> that sets a value (not a deletion) is HttpOnly, on <paramref name="path"/>, with <paramref name="sameSite"/>.</summary>
    private static void AssertCookie(List<string> setCookies, string name, string sameSite, string path = "/")
    {
        var header = setCookies.FirstOrDefault(c => c.StartsWith(name, StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.True(header is not null, $"{name} was never set: {string.Join(" | ", setCookies.Select(c => c.Split('=')[0]))}");
        var attributes = header.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains(sameSite, attributes);
        Assert.Contains("path=" + path, attributes);
    }
}
