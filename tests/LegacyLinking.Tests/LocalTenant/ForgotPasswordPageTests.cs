using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.LocalTenant.PasswordReset;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>
/// The login page's "Don't remember your password?": the database section links to a form that sends the reset link
/// for the login's application, answering the same whatever the email.
/// </summary>
public sealed class ForgotPasswordPageTests(PasswordResetTenantFixture tenant) : IClassFixture<PasswordResetTenantFixture>
{
    [Fact]
    public async Task The_database_section_links_to_a_form_that_emails_the_reset_link_for_the_logins_application()
    {
        var email = $"forgot-{Guid.NewGuid():N}@example.com";
        var userId = await tenant.CreateDatabaseUserAsync(email);

        var sent = await AskForLinkAsync(email);

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal(PasswordResetTenantFixture.SentMessage, sent.Page!.QuerySelector("[data-test='forgot-sent']")!.TextContent.Trim());
        var link = await tenant.Controls.LatestLinkAsync(email);
        Assert.StartsWith(tenant.Url + "/lo/reset?ticket=", link.ToString());
        var requested = Assert.Single(await tenant.LogsAsync("scpr"), e => e.GetProperty("user_id").GetString() == userId);
        Assert.Equal(LocalTenantFixture.ClientId, requested.GetProperty("client_id").GetString());
        Assert.Equal(PasswordResetTenantFixture.DatabaseConnection, requested.GetProperty("connection").GetString());
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_page_and_no_email()
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.com";

        var sent = await AskForLinkAsync(email);

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal(PasswordResetTenantFixture.SentMessage, sent.Page!.QuerySelector("[data-test='forgot-sent']")!.TextContent.Trim());
        Assert.Empty(await tenant.Controls.EmailsAsync(email));
    }

    [Fact]
    public async Task The_form_is_prefilled_from_login_hint_and_leads_back_to_the_same_sign_in()
    {
        var authorize = new AuthorizeRequest { Tenant = tenant.Url, LoginHint = Seeded.AdaEmail }.ToUri();
        var driver = tenant.CreateDriver();

        var forgot = await OpenForgotPageAsync(driver, authorize);
        var back = await driver.FollowAsync(new HttpRequestMessage(HttpMethod.Get,
            new Uri(forgot.Uri, forgot.Page!.QuerySelector("[data-test='back-to-login']")!.GetAttribute("href"))));

        Assert.Equal(Seeded.AdaEmail, forgot.Page.QuerySelector("[data-test='forgot-email']")!.GetAttribute("value"));
        Assert.True(back.IsLoginPage, $"expected the login page, got {back}");
        Assert.Equal(Seeded.AdaEmail, back.Page!.QuerySelector("[data-test='email']")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    public async Task A_bad_email_is_a_400_with_a_message_and_sends_nothing(string email)
    {
        var driver = tenant.CreateDriver();
        var forgot = await OpenForgotPageAsync(driver, new AuthorizeRequest { Tenant = tenant.Url }.ToUri());

        var step = await driver.FollowAsync(forgot.Form("[data-test='forgot-email']").Set("forgot-email", email).Submit("forgot-submit"));

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.NotNull(step.PageError);
        Assert.Null(step.Page!.QuerySelector("[data-test='forgot-sent']"));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_sends_nothing()
    {
        var email = $"forged-{Guid.NewGuid():N}@example.com";
        await tenant.CreateDatabaseUserAsync(email);
        var driver = tenant.CreateDriver();
        var forgot = await OpenForgotPageAsync(driver, new AuthorizeRequest { Tenant = tenant.Url }.ToUri());

        var step = await driver.FollowAsync(forgot.Form("[data-test='forgot-email']").Set("forgot-email", email)
            .Set("__RequestVerificationToken", "forged").Submit("forgot-submit"));

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Empty(await tenant.Controls.EmailsAsync(email));
    }

    [Fact]
    public async Task Without_a_sign_in_to_return_to_or_a_database_connection_there_is_no_form()
    {
        using var browser = tenant.CreateClient();
        var noReturn = await tenant.OpenAsync(browser, new Uri(tenant.Url + "/login/forgot-password?returnUrl=https://evil.example/authorize?x=1"));
        var socialOnly = await tenant.OpenAsync(browser, new Uri(tenant.Url + "/login/forgot-password?returnUrl="
            + Uri.EscapeDataString(new AuthorizeRequest { Tenant = tenant.Url, Connection = "github" }.ToUri().PathAndQuery)));

        foreach (var step in new[] { noReturn, socialOnly })
        {
            Assert.Equal(HttpStatusCode.BadRequest, step.Status);
            Assert.NotNull(step.PageError);
            Assert.Null(step.Page!.QuerySelector("[data-test='forgot-email']"));
        }
        var githubLogin = await tenant.CreateDriver().ExpectLoginPageAsync(new AuthorizeRequest { Tenant = tenant.Url, Connection = "github" }.ToUri());
        Assert.Null(githubLogin.Page!.QuerySelector("[data-test='forgot-password']"));
    }

    private async Task<TenantStep> AskForLinkAsync(string email)
    {
        var driver = tenant.CreateDriver();
        var forgot = await OpenForgotPageAsync(driver, new AuthorizeRequest { Tenant = tenant.Url }.ToUri());
        return await driver.FollowAsync(forgot.Form("[data-test='forgot-email']").Set("forgot-email", email).Submit("forgot-submit"));
    }

    /// <summary>From the login page of <paramref name="authorize"/>, follows "Don't remember your password?".</summary>
    private static async Task<TenantStep> OpenForgotPageAsync(TenantLoginDriver driver, Uri authorize)
    {
        var login = await driver.ExpectLoginPageAsync(authorize);
        var link = login.Section(TenantLoginDriver.DatabaseConnection).QuerySelector("[data-test='forgot-password']")
            ?? throw new InvalidOperationException("The database section has no forgot-password link.");
        var page = await driver.FollowAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(login.Uri, link.GetAttribute("href"))));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page;
    }
}
