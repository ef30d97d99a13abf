using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Infrastructure;

/// <summary>What a person does on the tenant's login page, by its QA hooks.</summary>
public static class TenantLoginPage
{
    public static async Task SignInWithPasswordAsync(this IPage page, string email, string password)
    {
        var database = page.Locator("[data-test='connection-Username-Password-Authentication']");
        await database.Locator("[data-test='email']").FillAsync(email);
        await database.Locator("[data-test='password']").FillAsync(password);
        await database.Locator("[data-test='submit']").ClickAsync();
    }
}
