using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>The login page per connection: hooks, sign-in, sign-up, passwordless, and its answers to bad input.</summary>
public sealed class LoginPageTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    private readonly TenantSession _session = new(tenant);

    [Fact]
    public async Task Login_page_shows_every_connection_with_the_QA_hooks()
    {
        var page = await _session.Driver.ExpectLoginPageAsync(_session.Request().ToUri());

        foreach (var connection in new[] { "Username-Password-Authentication", "google-oauth2", "github", "facebook", "sms" })
            Assert.NotNull(page.Section(connection));
        foreach (var hook in new[] { "email", "password", "submit", "signup", "phone" })
            Assert.NotNull(page.Page!.QuerySelector($"[data-test='{hook}']"));
        foreach (var sub in new[] { Seeded.John, Seeded.AdaGithub, Seeded.AdaFacebookUnverified })
            Assert.NotNull(page.Page!.QuerySelector($"[data-test='continue-as-{sub}']"));
        Assert.Null(page.Page!.QuerySelector($"[data-test='continue-as-{Seeded.AdaDatabase}']"));
    }

    [Fact]
    public async Task A_connection_parameter_shows_only_that_connection()
    {
        var page = await _session.Driver.ExpectLoginPageAsync(_session.Request(r => r with { Connection = "github" }).ToUri());

        var sections = page.Page!.QuerySelectorAll("[data-test^='connection-']").Select(s => s.GetAttribute("data-test"));
        Assert.Equal(["connection-github"], sections);
    }

    [Fact]
    public async Task Login_hint_prefills_the_email_or_the_phone()
    {
        var byEmail = await _session.Driver.ExpectLoginPageAsync(_session.Request(r => r with { LoginHint = Seeded.AdaEmail }).ToUri());
        Assert.Equal(Seeded.AdaEmail, byEmail.Page!.QuerySelector("[data-test='email']")!.GetAttribute("value"));

        var byPhone = await _session.Driver.ExpectLoginPageAsync(_session.Request(r => r with { LoginHint = Seeded.JohnSmsPhone }).ToUri());
        Assert.Equal(Seeded.JohnSmsPhone, byPhone.Page!.QuerySelector("[data-test='phone']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_database_user_signs_in_with_email_and_password()
    {
        var request = _session.Request(r => r with { State = "state-123" });
        var step = await _session.Driver.LoginWithPasswordAsync(request.ToUri(), "ADA@example.com", Seeded.AdaPassword);

        Assert.Equal(HttpStatusCode.Redirect, step.Status);
        Assert.StartsWith(LocalTenantFixture.RedirectUri + "?", step.RedirectTarget!.ToString());
        Assert.Equal("state-123", step.State);
        var tokens = await _session.RedeemAsync(request, step);
        Assert.Equal(Seeded.AdaDatabase, Jwt.Parse(tokens.IdToken!).Claim("sub"));
    }

    [Fact]
    public async Task A_wrong_password_re_renders_the_page_with_an_error()
    {
        var step = await _session.Driver.LoginWithPasswordAsync(_session.Request().ToUri(), Seeded.AdaEmail, "not-her-password");

        Assert.Equal(HttpStatusCode.Unauthorized, step.Status);
        Assert.Equal("Wrong email or password.", step.PageError);
        Assert.True(step.IsLoginPage);
    }

    [Fact]
    public async Task Sign_up_creates_a_user_with_an_unverified_email()
    {
        var email = $"new-{Guid.NewGuid():N}@Example.com";
        var request = _session.Request();
        var step = await _session.Driver.SignUpAsync(request.ToUri(), email, "Sign-up-Passw0rd");
        var tokens = await _session.RedeemAsync(request, step);

        var claims = Jwt.Parse(tokens.IdToken!).Payload;
        Assert.Matches("^auth0\\|[0-9a-f]{24}$", claims.GetProperty("sub").GetString());
        Assert.Equal(email.ToLowerInvariant(), claims.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.False, claims.GetProperty("email_verified").ValueKind);

        // The same email cannot sign up twice; the new password works for sign-in.
        var again = await tenant.CreateDriver().SignUpAsync(_session.Request().ToUri(), email, "Sign-up-Passw0rd");
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.NotNull(again.PageError);
        var login = await tenant.CreateDriver().LoginWithPasswordAsync(_session.Request().ToUri(), email, "Sign-up-Passw0rd");
        Assert.NotNull(login.Code);
    }

    [Fact]
    public async Task A_seeded_sms_user_signs_in_with_the_code_shown_on_the_page()
    {
        var request = _session.Request(r => r with { Scope = "openid profile phone" });
        var step = await _session.Driver.LoginWithSmsAsync(request.ToUri(), Seeded.JohnSmsPhone);
        var tokens = await _session.RedeemAsync(request, step);

        var idToken = Jwt.Parse(tokens.IdToken!);
        Assert.Equal(Seeded.JohnSms, idToken.Claim("sub"));
        Assert.Equal(Seeded.JohnSmsPhone, idToken.Claim("phone_number"));
    }

    [Fact]
    public async Task A_new_phone_number_creates_an_sms_user()
    {
        var request = _session.Request();
        var step = await _session.Driver.LoginWithSmsAsync(request.ToUri(), "+15550001234");
        var tokens = await _session.RedeemAsync(request, step);

        Assert.Matches("^sms\\|[0-9a-f]{24}$", Jwt.Parse(tokens.IdToken!).Claim("sub"));
    }

    [Fact]
    public async Task A_wrong_sms_code_is_refused()
    {
        var codePage = await _session.Driver.SubmitAsync(_session.Request().ToUri(), "sms", f => f.Set("phone", Seeded.JohnSmsPhone), "submit");
        var shown = codePage.Page!.QuerySelector("[data-test='otp-code']")!.TextContent.Trim();
        var wrong = shown == "000000" ? "111111" : "000000";

        var step = await _session.Driver.FollowAsync(codePage.Form("[data-test='otp']").Set("otp", wrong).Submit("submit"));
        Assert.Equal(HttpStatusCode.Unauthorized, step.Status);
        Assert.NotNull(step.PageError);
        Assert.Null(step.Code);
    }

    [Theory]
    [InlineData("email", "", "Enter your email address.")]
    [InlineData("email", "not-an-email", "Enter a valid email address.")]
    [InlineData("email", "oversize", "Email addresses are at most 254 characters.")]
    [InlineData("password", "oversize", "Passwords are at most 128 characters.")]
    public async Task Bad_database_form_input_is_a_400_with_a_message(string field, string value, string message)
    {
        if (value == "oversize") value = new string('a', 300) + "@example.com";
        var fields = new Dictionary<string, string> { ["email"] = Seeded.AdaEmail, ["password"] = Seeded.AdaPassword, [field] = value };

        var step = await _session.Driver.SubmitAsync(_session.Request().ToUri(), TenantLoginDriver.DatabaseConnection,
            f => f.Set("email", fields["email"]).Set("password", fields["password"]), "submit");

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Equal(message, step.PageError);
    }

    [Theory]
    [InlineData("phone", "12345")]
    [InlineData("phone", "+1 (425) DROP TABLE")]
    [InlineData("phone", "")]
    public async Task A_garbage_phone_is_a_400_with_a_message(string field, string value)
    {
        var step = await _session.Driver.SubmitAsync(_session.Request().ToUri(), "sms", f => f.Set(field, value), "submit");

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.NotNull(step.PageError);
    }

    [Theory]
    [InlineData("12ab56")]
    [InlineData("1234567")]
    [InlineData("")]
    public async Task A_non_digit_or_wrong_length_code_is_a_400(string otp)
    {
        var codePage = await _session.Driver.SubmitAsync(_session.Request().ToUri(), "sms", f => f.Set("phone", Seeded.JohnSmsPhone), "submit");

        var step = await _session.Driver.FollowAsync(codePage.Form("[data-test='otp']").Set("otp", otp).Submit("submit"));
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.NotNull(step.PageError);
    }

    [Fact]
    public async Task A_form_field_beyond_the_server_limit_is_a_4xx_not_a_500()
    {
        var step = await _session.Driver.SubmitAsync(_session.Request().ToUri(), TenantLoginDriver.DatabaseConnection,
            f => f.Set("email", Seeded.AdaEmail).Set("password", new string('x', 100_000)), "submit");

        Assert.InRange((int)step.Status, 400, 499);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var page = await _session.Driver.ExpectLoginPageAsync(_session.Request().ToUri());
        var form = page.Form("[data-test='email']").Set("email", Seeded.AdaEmail).Set("password", Seeded.AdaPassword)
            .Set("__RequestVerificationToken", "forged");

        var step = await _session.Driver.FollowAsync(form.Submit("submit"));
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Null(step.Code);
    }

    [Fact]
    public async Task Continue_as_an_identity_of_another_connection_is_refused()
    {
        var page = await _session.Driver.ExpectLoginPageAsync(_session.Request(r => r with { Connection = "github" }).ToUri());
        var request = page.Form($"[data-test='continue-as-{Seeded.AdaGithub}']").Set("Sub", Seeded.John).Submit();

        var step = await _session.Driver.FollowAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
    }

    [Fact]
    public async Task Login_page_without_a_valid_return_url_is_a_400()
    {
        foreach (var returnUrl in new[] { "", "https://evil.example/authorize?x=1", "//evil.example/authorize", "/somewhere-else" })
        {
            var step = await _session.Driver.OpenAsync(new Uri($"{tenant.Url}/login?returnUrl={Uri.EscapeDataString(returnUrl)}"));
            Assert.Equal(HttpStatusCode.BadRequest, step.Status);
            Assert.NotNull(step.PageError);
        }
    }

    [Fact]
    public async Task Tenant_cookies_are_named_ll_tenant_and_pages_forbid_framing_and_referrers()
    {
        var cookies = new CookieContainer();
        var browser = tenant.CreateClient(cookies);
        var driver = tenant.CreateDriver(browser);
        var page = await driver.ExpectLoginPageAsync(_session.Request().ToUri());
        Assert.Equal("frame-ancestors 'none'", string.Join(";", page.Response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("no-referrer", string.Join(";", page.Response.Headers.GetValues("Referrer-Policy")));

        await driver.ContinueAsAsync(_session.Request().ToUri(), Seeded.John);
        var names = cookies.GetAllCookies().Select(c => c.Name).ToList();
        Assert.Contains("ll_tenant_session", names);
        Assert.Contains("ll_tenant_af", names);
        Assert.All(names, name => Assert.StartsWith("ll_tenant_", name));
    }
}
