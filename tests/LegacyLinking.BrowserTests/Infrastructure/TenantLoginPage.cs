using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Infrastructure;

/// <summary>What a person does on the tenant's login page, by its QA hooks.</summary>
public static class TenantLoginPage
{
    public static Task SignInWithPasswordAsync(this IPage page, string email, string password) =>
        page.SubmitDatabaseFormAsync(email, password, "submit");

    /// <summary>Signs up a new database user: the tenant creates them with an unverified email.</summary>
    public static Task SignUpAsync(this IPage page, string email, string password) =>
        page.SubmitDatabaseFormAsync(email, password, "signup");

    private static async Task SubmitDatabaseFormAsync(this IPage page, string email, string password, string button)
    {
        var database = page.Locator("[data-test='connection-Username-Password-Authentication']");
        await database.Locator("[data-test='email']").FillAsync(email);
        await database.Locator("[data-test='password']").FillAsync(password);
        await database.Locator($"[data-test='{button}']").ClickAsync();
    }

    /// <summary>Passwordless: asks for a code to <paramref name="phone"/>, then types the code the page shows.</summary>
    public static async Task SignInWithSmsAsync(this IPage page, string phone)
    {
        await page.RequestSmsCodeAsync(phone);
        await page.EnterSmsCodeAsync();
    }

    public static async Task RequestSmsCodeAsync(this IPage page, string phone)
    {
        var sms = page.Locator("[data-test='connection-sms']");
        await sms.Locator("[data-test='phone']").FillAsync(phone);
        await sms.Locator("[data-test='submit']").ClickAsync();
    }

    /// <summary>The local tenant shows the code it would have texted.</summary>
    public static async Task EnterSmsCodeAsync(this IPage page)
    {
        var code = (await page.Locator("[data-test='otp-code']").TextContentAsync())!.Trim();
        var sms = page.Locator("[data-test='connection-sms']");
        await sms.Locator("[data-test='otp']").FillAsync(code);
        await sms.Locator("[data-test='submit']").ClickAsync();
    }
}
