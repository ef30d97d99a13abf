using System.Text.RegularExpressions;
using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>An app that wants the primary's sign-in at most six seconds old to link or unlink, so a journey can outwait it.</summary>
public sealed class SixSecondReauthenticationWindow : AppStackFixture
{
    public static readonly TimeSpan PastTheWindow = TimeSpan.FromSeconds(6.5);

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Linking:PrimaryReauthenticationSeconds", "6")];
}

/// <summary>
/// A person who uses no mouse links their phone and removes it again: only Tab, typing and Enter, from the home page
/// through the tenant's sign-in, the "confirm it's you" page and the second account's sign-in, every stop with a
/// visible focus. The session is let grow older than the window first, so both go through the confirmation page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardJourneys(ChromiumFixture chromium, SixSecondReauthenticationWindow stack)
    : IClassFixture<SixSecondReauthenticationWindow>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    private static async Task PressOnAsync(IPage page, string selector)
    {
        await page.TabToAsync(selector);
        await page.Keyboard.PressAsync("Enter");
    }

    private async Task SignInAsJohnAsync(IPage page)
    {
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(stack.Url) + "/login"));
        var login = page.Url;
        await PressOnAsync(page, $"[data-test='continue-as-{Seeded.John}']");
        // A step-up's sign-in goes on to the second account's login page: wait for that one, not this one.
        await page.LeaveAsync(login);
    }

    private async Task ConfirmItIsYouAsync(IPage page, string reason)
    {
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(stack.AppUrl + "/Profile/Confirm")));
        Assert.Equal(reason, (await page.TextContentAsync("[data-test='confirm-reason']"))?.Trim());
        await page.AssertAccessibleAsync("confirm page");
        await PressOnAsync(page, "[data-test='confirm-continue']");
        await SignInAsJohnAsync(page);
    }

    [Fact]
    public async Task Link_and_unlink_with_the_keyboard_alone()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(stack.AppUrl + "/");
        await PressOnAsync(page, "[data-test='login']");
        await SignInAsJohnAsync(page);
        await page.ArriveAtAsync(stack.AppUrl + "/Profile");

        await Task.Delay(SixSecondReauthenticationWindow.PastTheWindow);
        await PressOnAsync(page, "[data-test='link-sms']");
        await ConfirmItIsYouAsync(page, "To link another account, confirm it's you");
        // Straight on to the second account's sign-in.
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(stack.Url) + "/login"));
        await page.TabToAsync("[data-test='connection-sms'] [data-test='phone']");
        await page.Keyboard.TypeAsync(Seeded.JohnSmsPhone);
        await page.Keyboard.PressAsync("Enter");
        var code = (await page.Locator("[data-test='otp-code']").TextContentAsync())!.Trim();
        await page.TabToAsync("[data-test='connection-sms'] [data-test='otp']");
        await page.Keyboard.TypeAsync(code);
        await page.Keyboard.PressAsync("Enter");
        await page.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.StartsWith("Your Phone account is linked", await page.TextContentAsync("[data-test='status-message']"));
        Assert.True(await page.IsVisibleAsync($"[data-test='identity-sms-{SmsId}']"));

        await Task.Delay(SixSecondReauthenticationWindow.PastTheWindow);
        await PressOnAsync(page, $"[data-test='unlink-sms-{SmsId}']");
        await ConfirmItIsYouAsync(page, "To remove an account, confirm it's you");
        await page.ArriveAtAsync(stack.AppUrl + "/Profile");
        Assert.StartsWith("Your Phone account is unlinked", await page.TextContentAsync("[data-test='status-message']"));
        Assert.False(await page.IsVisibleAsync($"[data-test='identity-sms-{SmsId}']"));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }
}
