using System.Net;
using System.Text;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// Link and unlink change who can sign in as the user, so only a POST carrying this browser's own antiforgery token
/// runs them: not another browser's token, not another verb, not a cross-site post the browser sends without a preflight.
/// </summary>
public sealed class UnsafeRequestTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public async ValueTask InitializeAsync()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);
        await stack.Controls.ResetAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await stack.Controls.ResetAsync();
    }

    public static TheoryData<string, string> Handlers => new()
    {
        { "Unlink", $"provider=sms&userId={SmsId}" },
        { "Link", "connection=github" },
    };

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task Another_browsers_antiforgery_token_is_refused(string handler, string fields)
    {
        var attacker = stack.NewBrowser();
        await attacker.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var attackersToken = await TokenOfAsync(attacker);
        var john = await JohnOnHisProfileAsync();

        var response = await john.Http.PostAsync($"/Profile?handler={handler}",
            Form($"{fields}&__RequestVerificationToken={Uri.EscapeDataString(attackersToken)}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingChangedAsync();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Another_verb_runs_no_handler_even_with_the_browsers_own_token(string method)
    {
        var john = await JohnOnHisProfileAsync();
        var token = await TokenOfAsync(john);
        foreach (var (handler, fields) in new[] { ("Unlink", $"provider=sms&userId={SmsId}"), ("Link", "connection=github") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/Profile?handler={handler}&{fields}");
            if (method != "GET") request.Content = Form($"{fields}&__RequestVerificationToken={Uri.EscapeDataString(token)}");
            var response = await john.Http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound,
                $"{method} ?handler={handler} answered {(int)response.StatusCode}");
        }
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task A_cross_site_text_plain_post_is_refused()
    {
        var john = await JohnOnHisProfileAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Profile?handler=Unlink")
        {
            Content = new StringContent($$"""{"provider":"sms","userId":"{{SmsId}}"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "https://evil.test");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await john.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingChangedAsync();
    }

    private async Task<AppBrowser> JohnOnHisProfileAsync()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await john.GetPageAsync("/Profile"); // the browser holds its antiforgery cookie, as a victim's would
        return john;
    }

    private static async Task<string> TokenOfAsync(AppBrowser browser)
    {
        var (_, profile) = await browser.GetPageAsync("/Profile");
        return HtmlForm.Find(profile, browser.Start("/Profile"), "form[method='post']")["__RequestVerificationToken"]!;
    }

    private static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");

    /// <summary>Neither unlinked nor linked: the identities stand and the app made no identities call.</summary>
    private async Task AssertNothingChangedAsync()
    {
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.DoesNotContain(await stack.Controls.CallsAsync("/api/v2/users"), c => c.GetProperty("path").GetString()!.Contains("/identities"));
        Assert.DoesNotContain(await stack.Controls.CallsAsync("/authorize"), c => c.GetProperty("query").GetString()?.Contains("connection=github") == true);
    }
}
