using System.Text.RegularExpressions;
using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>
/// The end user's own password reset in Chromium: "forgot password" at the tenant's sign-in, the emailed link (read
/// from the tenant's outbox), a new password; the app then ends her session and has her review her linked accounts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordResetJourneys(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string NewPassword = "Ada-Forgot-Passw0rd!";
    private readonly AppStackWithTestControls _stack = new();

    public ValueTask InitializeAsync() => _stack.InitializeAsync();
    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task Ada_resets_her_forgotten_password_from_the_emailed_link_and_then_reviews_her_linked_account()
    {
        await TenantAdmin.LinkAsync(_stack, Seeded.AdaDatabase, Seeded.AdaGithub);
        var laptop = await chromium.NewPageAsync();
        await laptop.GotoAsync(_stack.AppUrl + "/Profile");
        await laptop.SignInWithPasswordAsync(Seeded.AdaEmail, Seeded.AdaPassword);
        await laptop.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.True(await laptop.IsVisibleAsync("[data-test='identity-github-1234567']"));

        // Elsewhere (a browser of its own), at the tenant's sign-in, she does not remember her password.
        var phone = await chromium.NewPageAsync();
        await phone.GotoAsync(_stack.AppUrl + "/Profile");
        await phone.ClickAsync("[data-test='connection-Username-Password-Authentication'] [data-test='forgot-password']");
        await phone.FillAsync("[data-test='forgot-email']", Seeded.AdaEmail);
        await phone.ClickAsync("[data-test='forgot-submit']");
        Assert.Equal("We've just sent you an email to reset your password.", (await phone.TextContentAsync("[data-test='forgot-sent']"))!.Trim());

        await phone.GotoAsync((await _stack.Controls.LatestLinkAsync(Seeded.AdaEmail)).ToString());
        await phone.FillAsync("[data-test='reset-password']", NewPassword);
        await phone.FillAsync("[data-test='reset-confirm']", NewPassword);
        await phone.ClickAsync("[data-test='reset-submit']");
        Assert.Contains("Your password has been changed", await phone.TextContentAsync("[data-test='reset-done']"));

        // Back on the laptop the session did not outlive the reset: the old password no longer works, the new one does,
        // and the account linked before the reset waits for her review.
        await laptop.GotoAsync(_stack.AppUrl + "/Profile");
        await laptop.ArriveAtAsync(new Regex("^" + Regex.Escape(_stack.Url)));
        await laptop.SignInWithPasswordAsync(Seeded.AdaEmail, Seeded.AdaPassword);
        Assert.Equal("Wrong email or password.", (await laptop.TextContentAsync("[data-test='error']"))!.Trim());
        await laptop.SignInWithPasswordAsync(Seeded.AdaEmail, NewPassword);
        await laptop.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.StartsWith("Your password was reset", await laptop.TextContentAsync("[data-test='status-message']"));
        Assert.True(await laptop.IsVisibleAsync("[data-test='review-step']"));
        Assert.True(await laptop.IsVisibleAsync("[data-test='review-detached-github-1234567']"));
        Assert.False(await laptop.IsVisibleAsync("[data-test='identity-github-1234567']"));
    }
}
