using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.PasswordReset;

/// <summary>
/// Catalogue 35 (unexpired session): whoever kept a session open from before the owner's password reset loses it on
/// whichever page they open first after it, not only on the pages the reset check was first written for.
/// </summary>
public sealed class PasswordResetEveryPageTests(QuickPasswordResetCheck stack) : IClassFixture<QuickPasswordResetCheck>
{
    private const string NewPassword = "Qa-Every-Page-Passw0rd!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Every page behind a session (PagesSetup's conventions), the export among them; each is the first request after
    /// its own reset, since one session's answer to a reset ends every session of the user and would hide a page that
    /// does not check.
    /// </summary>
    [Theory]
    [InlineData("/Profile")]
    [InlineData("/Profile/Confirm")]
    [InlineData("/Migration")]
    [InlineData("/Migration?handler=Export&format=csv")]
    [InlineData("/Qa/Flags")]
    [InlineData("/Account/Logout")]
    public async Task A_session_from_before_a_reset_is_sent_to_a_fresh_login_by_the_first_page_it_opens(string page)
    {
        var browser = stack.NewBrowser();
        await browser.SignInAsQaAsync();
        var before = await browser.Http.GetAsync(page, Ct); // the page, or (the confirmation without a request) the profile
        Assert.True(before.StatusCode == HttpStatusCode.OK || TestBrowser.RedirectTarget(before)!.AbsolutePath == "/Profile",
            $"{page} answered {(int)before.StatusCode} before the reset");

        await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = NewPassword, connection = "Username-Password-Authentication" });
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(QuickPasswordResetCheck.Seconds + 0.5), Ct);
            var response = await browser.Http.GetAsync(page, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page} answered {(int)response.StatusCode} to a session from before the reset");
            var target = TestBrowser.RedirectTarget(response)!;
            Assert.StartsWith(stack.Url + "/authorize", target.ToString());
            Assert.Contains("prompt=login", target.Query);
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = Seeded.QaPassword, connection = "Username-Password-Authentication" });
        }
    }
}
