using System.Text.RegularExpressions;
using LegacyLinking.BrowserTests.Infrastructure;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Journeys;

/// <summary>A person in Chromium: sign in, look at the profile, sign out; sign up as a new database user.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SignInJourneys(ChromiumFixture chromium) : IAsyncLifetime
{
    private readonly AppStackFixture _stack = new();

    public ValueTask InitializeAsync() => _stack.InitializeAsync();
    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task Google_user_signs_in_sees_identities_signs_out_and_is_sent_back_to_sign_in()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(_stack.AppUrl + "/");
        await page.ClickAsync("[data-test='login']");

        await page.ClickAsync($"[data-test='continue-as-{Seeded.John}']");
        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.Equal("John Doe", await page.TextContentAsync("[data-test='profile-name']"));
        Assert.True(await page.IsVisibleAsync("[data-test='identity-google-oauth2-115015401343387192604']"));
        Assert.Equal("John Doe", await page.TextContentAsync("[data-test='current-user']"));

        // Tokens stay on the server: nothing in web storage, nothing readable from script.
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify([Object.values(localStorage), Object.values(sessionStorage), document.cookie])");
        Assert.False(Jwt.AppearsIn(storage));

        await page.ClickAsync("[data-test='logout']");
        await page.ArriveAtAsync(_stack.AppUrl + "/");
        Assert.True(await page.IsVisibleAsync("[data-test='login']"));

        await page.GotoAsync(_stack.AppUrl + "/Profile");
        await page.ArriveAtAsync(new Regex("^" + Regex.Escape(_stack.Url)));
        Assert.True(await page.IsVisibleAsync($"[data-test='continue-as-{Seeded.John}']"));
    }

    [Fact]
    public async Task A_new_database_user_signs_up_and_starts_unverified()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(_stack.AppUrl + "/Profile");
        await page.SignUpAsync("grace@example.com", "Grace-Passw0rd!");

        await page.ArriveAtAsync(_stack.AppUrl + "/Profile");
        Assert.Equal("grace@example.com", await page.TextContentAsync("[data-test='profile-email']"));
        Assert.True(await page.IsVisibleAsync("[data-test='email-unverified']"));
        Assert.StartsWith("auth0|", await page.TextContentAsync("[data-test='profile-user-id']"));
    }
}
