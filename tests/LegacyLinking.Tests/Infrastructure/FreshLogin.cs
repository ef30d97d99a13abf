using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>Checks for a browser whose app session was ended while its tenant session lives on.</summary>
public static class FreshLogin
{
    /// <summary>The browser's next request is a challenge for a fresh login, which the tenant answers with its login form.</summary>
    public static async Task AssertNextRequestLandsOnTheLoginFormAsync(AppBrowser browser)
    {
        var next = await browser.Http.GetAsync("/Profile", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        var authorize = TestBrowser.RedirectTarget(next)!;
        Assert.EndsWith("/authorize", authorize.AbsolutePath);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("login", query["prompt"]);
        Assert.Equal("0", query["max_age"]);
        var step = await browser.Tenant.OpenAsync(authorize);
        Assert.True(step.IsLoginPage, $"expected the tenant's login form, got {step}");
    }
}
