using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Pages;

/// <summary>Inputs that once answered 500 or locked the browser out: each gets a clear 4xx and changes nothing.</summary>
public sealed class BadInputTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/Migration?to=0001-01-01")]
    [InlineData("/Migration?from=0001-01-01")]
    [InlineData("/Migration?to=9999-12-31T23:59:59Z")]
    [InlineData("/Migration?handler=Export&format=csv&to=0001-01-01")]
    [InlineData("/Migration?handler=Export&format=json&from=0001-01-01T00:00:00Z")]
    public async Task A_date_at_the_edge_of_time_is_a_400_naming_the_field(string path)
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var response = await qa.Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must lie between", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("POST")]
    [InlineData("TRACE")]
    public async Task A_method_the_migration_page_does_not_take_is_a_405(string method)
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        // With this browser's antiforgery token, so that it is the method that is refused and not the token.
        var (_, console) = await qa.GetPageAsync("/Qa/Flags");
        var token = HtmlForm.Find(console, qa.Start("/Qa/Flags"), "form[method='post']")["__RequestVerificationToken"]!;
        using var request = new HttpRequestMessage(new HttpMethod(method), "/Migration")
        {
            Content = method == "TRACE" ? null : new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
        };
        var response = await qa.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task A_posted_value_of_any_size_never_reaches_a_cookie()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, console) = await qa.GetPageAsync("/Qa/Flags");
        var posted = await qa.ClickAsync(console, "/Qa/Flags", "apply-session-LinkFlow", form => form.Set("value", new string('x', 40_000)));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        // Summed: the cookie manager splits a large value into chunks that are each small.
        Assert.InRange(posted.Headers.GetValues("Set-Cookie").Sum(c => c.Length), 1, 2_048);
        var (after, page) = await qa.GetPageAsync("/Qa/Flags");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode); // not 431
        Assert.StartsWith("Error: That is not a value of LinkFlow", page.QuerySelector("[data-test='status-message']")?.TextContent);
        Assert.DoesNotContain("xxxxxxxx", await after.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_tenant_answer_of_any_size_is_cut_before_it_reaches_the_status_cookie()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await stack.UseFlowsAsync("AccessToken", "AccessToken");
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        Assert.StartsWith("Your Phone account is linked", (await john.LinkSmsAsync()).Status);
        try
        {
            await stack.Controls.AddFaultAsync(new { route = "DELETE /api/v2/users/**", status = 400, body = new { statusCode = 400, error = "Bad Request", message = new string('m', 40_000) } });
            var (_, profile) = await john.GetPageAsync("/Profile");
            var posted = await john.ClickAsync(profile, "/Profile", "unlink-sms-560ebaeef609ee1adaa7c551");

            Assert.InRange(posted.Headers.GetValues("Set-Cookie").Sum(c => c.Length), 1, 4_096);
            var (after, page) = await john.GetPageAsync("/Profile");
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.StartsWith("Error: Something went wrong. Nothing was unlinked.", page.QuerySelector("[data-test='status-message']")?.TextContent);
        }
        finally
        {
            await stack.Controls.ResetAsync();
            await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        }
    }
}
