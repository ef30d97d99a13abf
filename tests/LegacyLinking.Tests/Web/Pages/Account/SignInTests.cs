using System.Net;
using System.Text.RegularExpressions;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Pages.Account;

/// <summary>Sign-in through the real authorize → tenant login form → /callback → token path.</summary>
public sealed partial class SignInTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    [Fact]
    public async Task A_database_user_signs_in_and_sees_their_profile()
    {
        var browser = stack.NewBrowser();
        var profile = await browser.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));

        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var page = HtmlForm.Parse(await profile.Content.ReadAsStringAsync());
        Assert.Equal("Ada Lovelace", page.QuerySelector("[data-test='profile-name']")?.TextContent);
        Assert.NotNull(page.QuerySelector("[data-test='identity-auth0-5f7c8ec7c33c6c004bbafe82']"));
        Assert.NotNull(page.QuerySelector("[data-test='email-verified']"));
    }

    [Fact]
    public async Task A_social_user_sees_identities_and_metadata()
    {
        var browser = stack.NewBrowser();
        var profile = await browser.SignInAsJohnAsync();
        var page = HtmlForm.Parse(await profile.Content.ReadAsStringAsync());

        Assert.Equal("John Doe", page.QuerySelector("[data-test='current-user']")?.TextContent);
        var identity = page.QuerySelector("[data-test='identity-google-oauth2-115015401343387192604']");
        Assert.NotNull(identity);
        Assert.Contains("google-oauth2", identity.TextContent);
        Assert.Equal(["Color"], page.QuerySelectorAll("[data-test='user-metadata'] dt").Select(e => e.TextContent));
        Assert.Equal(["red"], page.QuerySelectorAll("[data-test='user-metadata'] dd").Select(e => e.TextContent));
        Assert.Equal("Google", identity.QuerySelector("strong")?.TextContent);
        Assert.Contains("johndoe@gmail.com", identity.TextContent);
        Assert.Contains("Admin", page.QuerySelector("[data-test='app-metadata']")?.TextContent);
    }

    [Fact]
    public async Task An_sms_user_signs_in_with_the_one_time_code()
    {
        var browser = stack.NewBrowser();
        var profile = await browser.SignInAsync((d, s) => d.LoginWithSmsAsync(s, Seeded.JohnSmsPhone));
        var page = HtmlForm.Parse(await profile.Content.ReadAsStringAsync());
        Assert.Equal(Seeded.JohnSms, page.QuerySelector("[data-test='profile-user-id']")?.TextContent);
    }

    [Fact]
    public async Task The_login_redirect_uses_code_pkce_state_nonce_and_only_user_scopes()
    {
        var browser = stack.NewBrowser();
        var response = await browser.Http.GetAsync("/Account/Login");
        var location = TestBrowser.RedirectTarget(response)!;
        var query = QueryHelpers.ParseQuery(location.Query);

        Assert.StartsWith(stack.Url + "/authorize", location.ToString());
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.InRange(query["code_challenge"].ToString().Length, 43, 128);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Equal(stack.ManagementAudience, query["audience"]);
        Assert.Equal(stack.AppUrl + "/callback", query["redirect_uri"]);
        var scopes = query["scope"].ToString().Split(' ');
        Assert.Contains("update:current_user_identities", scopes);
        Assert.DoesNotContain("update:users", scopes);
        Assert.DoesNotContain(query.Keys, key => key.StartsWith("x-client-", StringComparison.Ordinal)); // no library telemetry

        var again = QueryHelpers.ParseQuery(TestBrowser.RedirectTarget(await browser.Http.GetAsync("/Account/Login"))!.Query);
        Assert.NotEqual(query["nonce"], again["nonce"]);
        Assert.NotEqual(query["state"], again["state"]);
    }

    [Fact]
    public async Task No_token_reaches_the_browser()
    {
        var browser = stack.NewBrowser();
        var profile = await browser.SignInAsJohnAsync();
        var html = await profile.Content.ReadAsStringAsync();

        Assert.False(Jwt.AppearsIn(html));
        foreach (Cookie cookie in browser.Cookies.GetAllCookies())
        {
            Assert.False(Jwt.AppearsIn(cookie.Value));
            Assert.True(cookie.Value.Length < 1200, $"{cookie.Name} is {cookie.Value.Length} chars: tokens belong on the server");
        }
        var session = browser.Cookies.GetAllCookies().Single(c => c.Name == "ll_app_session");
        Assert.True(session.HttpOnly);
    }

    [Fact]
    public async Task Logout_is_a_protected_post_that_ends_the_tenant_session_too()
    {
        var browser = stack.NewBrowser();
        await browser.SignInAsJohnAsync();

        var (_, profile) = await browser.GetPageAsync("/Profile");
        var forged = await browser.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var logout = await browser.ClickAsync(profile, "/Profile", "logout");
        var toTenant = TestBrowser.RedirectTarget(logout)!;
        Assert.StartsWith(stack.Url + "/v2/logout", toTenant.ToString());
        var query = QueryHelpers.ParseQuery(toTenant.Query);
        Assert.Equal(LocalTenantFixture.ClientId, query["client_id"]);
        Assert.Equal(stack.AppUrl + "/", query["returnTo"]);
        var back = TestBrowser.RedirectTarget(await browser.Http.GetAsync(toTenant))!;
        Assert.Equal(stack.AppUrl + "/", back.ToString());

        // The app session is gone, and so is the tenant's: signing in again shows the login page.
        var step = await browser.Tenant.OpenAsync(browser.Start("/Profile"));
        Assert.True(step.IsLoginPage, step.ToString());
    }

    [Fact]
    public async Task A_callback_delivered_to_another_browser_signs_nobody_in()
    {
        var attacker = stack.NewBrowser();
        var step = await attacker.Tenant.ContinueAsAsync(attacker.Start("/Profile"), Seeded.John);
        var callback = step.RedirectTarget!;

        var victim = stack.NewBrowser();
        var response = await victim.FollowAsync(await victim.Http.GetAsync(callback));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(victim.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");
        var profile = await victim.Http.GetAsync("/Profile");
        Assert.Equal(HttpStatusCode.Redirect, profile.StatusCode);
    }

    [Fact]
    public async Task A_tampered_state_is_a_clear_400()
    {
        var browser = stack.NewBrowser();
        var step = await browser.Tenant.ContinueAsAsync(browser.Start("/Profile"), Seeded.John);
        var tampered = step.RedirectTarget!.ToString().Replace("state=", "state=x");
        var response = await browser.FollowAsync(await browser.Http.GetAsync(tampered));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not be verified", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_foreign_return_url_is_ignored()
    {
        var browser = stack.NewBrowser();
        var final = await browser.SignInAsync((d, _) => d.ContinueAsAsync(browser.Start("/Account/Login?returnUrl=https%3A%2F%2Fevil.test%2F"), Seeded.John));
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal(stack.AppUrl + "/Profile", final.RequestMessage!.RequestUri!.ToString());
    }

    [Fact]
    public async Task A_local_return_url_is_where_the_sign_in_lands_without_passing_the_login_page_again()
    {
        var browser = stack.NewBrowser();
        var login = await browser.Tenant.ContinueAsAsync(browser.Start("/Account/Login?returnUrl=%2F%3Ffrom%3Dlogin"), Seeded.John);

        var callback = await login.DeliverAsync(browser.Http);

        // The return URL travels in the sign-in's protected state: the callback goes straight to it.
        Assert.Equal(browser.Start("/?from=login"), TestBrowser.RedirectTarget(callback));
        Assert.Equal(HttpStatusCode.OK, (await browser.FollowAsync(callback)).StatusCode);
        // Signed in already, the login page sends a local return URL straight on too.
        Assert.Equal(browser.Start("/?from=login"), TestBrowser.RedirectTarget(await browser.Http.GetAsync("/Account/Login?returnUrl=%2F%3Ffrom%3Dlogin")));
    }

    [Fact]
    public async Task Pages_forbid_framing_and_referrers()
    {
        var response = await stack.NewBrowser().Http.GetAsync("/");
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_other_sessions_of_the_account_too()
    {
        var here = stack.NewBrowser();
        await here.SignInAsJohnAsync();
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));

        var (_, logoutPage) = await here.GetPageAsync("/Account/Logout");
        var forged = await here.Http.PostAsync("/Account/Logout?handler=Everywhere", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.Http.GetAsync("/Profile")).StatusCode); // nothing ended yet

        var signedOut = await here.ClickAsync(logoutPage, "/Account/Logout", "logout-everywhere");
        Assert.StartsWith(stack.Url + "/v2/logout", TestBrowser.RedirectTarget(signedOut)!.ToString());
        foreach (var browser in new[] { here, phone })
        {
            var ended = await browser.Http.GetAsync("/Profile");
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.StartsWith(stack.Url + "/authorize", TestBrowser.RedirectTarget(ended)!.ToString());
        }
        Assert.Equal(HttpStatusCode.OK, (await ada.Http.GetAsync("/Profile")).StatusCode); // another user's session is untouched
    }

    [Fact]
    public async Task The_profile_loads_nothing_from_another_host()
    {
        // John's picture is a Google URL; the page that starts a link holds no third-party content.
        var john = stack.NewBrowser();
        var profile = await john.SignInAsJohnAsync();
        var csp = profile.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data:;", csp);
        Assert.DoesNotContain("https:", csp);
        var page = HtmlForm.Parse(await profile.Content.ReadAsStringAsync());
        Assert.Equal("JD", page.QuerySelector("[data-test='avatar']")?.TextContent);
        var external = page.QuerySelectorAll("[src], link[href]").Select(e => e.GetAttribute("src") ?? e.GetAttribute("href")!)
            .Where(url => new Uri(new Uri(stack.AppUrl), url).Authority != new Uri(stack.AppUrl).Authority).ToList();
        Assert.Empty(external);
        Assert.DoesNotContain("googleusercontent", page.DocumentElement.OuterHtml);
    }

    [Fact]
    public async Task Profile_values_are_html_encoded()
    {
        const string script = "<script>alert('x')</script>";
        await TenantAdmin.PatchUserAsync(stack, Seeded.AdaGithub, new { name = script, user_metadata = new { note = script } });
        try
        {
            var browser = stack.NewBrowser();
            var profile = await browser.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub));
            var html = await profile.Content.ReadAsStringAsync();
            Assert.DoesNotContain(script, html);
            Assert.Contains("&lt;script&gt;", html);
            Assert.Equal(script, HtmlForm.Parse(html).QuerySelector("[data-test='profile-name']")?.TextContent);
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.AdaGithub, new { name = "Ada Lovelace", user_metadata = new { note = (string?)null } });
        }
    }
}
