using System.Net;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Pages.Account;

/// <summary>
/// The sign-in callback answered with an OAuth error: the failure page names a well-formed error code of this browser's
/// own sign-in and nothing else from the URL, which anyone can write.
/// </summary>
public sealed class SignInRefusalTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("access_denied", "The tenant refused the sign-in (access_denied).")]
    [InlineData("login_required", "The tenant needs you to sign in again (login_required).")]
    public async Task A_refusal_of_this_browsers_sign_in_is_named_by_its_code(string error, string shown)
    {
        var browser = stack.NewBrowser();
        var state = await StateOfAChallengeAsync(browser);

        var (failed, page) = await CallbackAsync(browser, $"error={error}&error_description=%3Cb%3Ecall+0800+FRAUD%3C%2Fb%3E&state={state}");

        Assert.Equal($"/Account/SignInFailed?error={error}", failed.PathAndQuery);
        Assert.Equal(shown, page);
        Assert.True(await browser.IsSignedOutAsync());
    }

    [Theory]
    [InlineData("access_denied%3Cscript%3E")] // a code followed by anything else
    [InlineData("%3Cb%3Eaccess_denied")] // a code after anything else
    [InlineData("ACCESS_DENIED")]
    public async Task An_error_that_is_not_a_plain_oauth_code_is_not_passed_on(string error)
    {
        var browser = stack.NewBrowser();
        var state = await StateOfAChallengeAsync(browser);

        var (failed, page) = await CallbackAsync(browser, $"error={error}&state={state}");

        Assert.Equal("/Account/SignInFailed?error=invalid_callback", failed.PathAndQuery);
        Assert.DoesNotContain("script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_error_on_a_callback_whose_state_fails_is_an_unverifiable_callback_not_the_code_it_carries()
    {
        var browser = stack.NewBrowser();
        var state = await StateOfAChallengeAsync(browser);

        var (failed, _) = await CallbackAsync(browser, $"error=login_required&state=x{state}");

        Assert.Equal("/Account/SignInFailed?error=invalid_callback", failed.PathAndQuery);
    }

    /// <summary>The state of a real challenge of this browser (its correlation cookie set), as the tenant would return it.</summary>
    private static async Task<string> StateOfAChallengeAsync(AppBrowser browser)
    {
        var authorize = TestBrowser.RedirectTarget(await browser.Http.GetAsync("/Account/Login", Ct))!;
        return Uri.EscapeDataString(QueryHelpers.ParseQuery(authorize.Query)["state"].ToString());
    }

    private static async Task<(Uri Failed, string Page)> CallbackAsync(AppBrowser browser, string query)
    {
        var callback = await browser.Http.GetAsync("/callback?" + query, Ct);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var failed = TestBrowser.RedirectTarget(callback)!;
        var (response, page) = await browser.GetPageAsync(failed.PathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (failed, page.QuerySelector("[data-test='error']")?.TextContent ?? "");
    }
}
