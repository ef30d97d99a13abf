using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The Lock-era flow puts an access token in the <c>/authorize</c> URL. It must be a fresh
/// token of the session's own user that can do nothing else, behind <c>Referrer-Policy: no-referrer</c>, never
/// logged; with any other flow no URL carries one.
/// </summary>
public sealed class LegacyAuthorizeTokenTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task The_token_in_the_URL_is_fresh_narrowed_to_openid_and_never_logged()
    {
        var logs = new CapturingLoggerProvider();
        stack.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await stack.UseFlowsAsync(LinkFlows.LegacyAuthorize, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        var startedAt = DateTimeOffset.UtcNow;
        var (_, profile) = await john.GetPageAsync("/Profile");
        var start = await john.ClickAsync(profile, "/Profile", "link-sms");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("no-referrer", start.Headers.GetValues("Referrer-Policy").Single());
        var authorize = TestBrowser.RedirectTarget(start)!;
        var token = QueryHelpers.ParseQuery(authorize.Query)["access_token"].Single()!;
        var claims = Jwt.Parse(token);

        Assert.Equal(Seeded.John, claims.Claim("sub"));
        Assert.Equal("openid", claims.Claim("scope")); // not the session's update:current_user_identities token
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(long.Parse(claims.Claim("iat")!)), startedAt.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(2));
        var management = await new TenantApi(new HttpClient(), new Uri(stack.Url)).GetAsync(TenantApi.UserPath(Seeded.John), token);
        Assert.Equal(HttpStatusCode.Forbidden, management.Status);

        // It still does its one job: the tenant links the sms account during that login.
        var step = await john.Tenant.LoginWithSmsAsync(authorize, Seeded.JohnSmsPhone);
        var linked = await LinkResult.ReadAsync(await john.FollowAsync(await step.DeliverAsync(john.Http)), LinkFlows.LegacyAuthorize, authorize);
        Assert.True(linked.HasIdentity("sms", SmsId), linked.Status);

        var leaks = logs.Lines.Where(line => line.Contains(token, StringComparison.Ordinal) || Jwt.AppearsIn(line)).ToList();
        Assert.True(logs.Lines.Count > 0, "the capture sees the app's logging");
        Assert.True(leaks.Count == 0, "token material in the app's log:\n" + string.Join("\n", leaks.Take(3)));
    }

    [Fact]
    public async Task With_the_current_flow_no_redirect_or_page_carries_an_access_token()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        var signIn = await john.SignInAsJohnAsync();
        Assert.DoesNotContain("access_token", signIn.RequestMessage!.RequestUri!.ToString());

        var (_, profile) = await john.GetPageAsync("/Profile");
        var start = await john.ClickAsync(profile, "/Profile", "link-sms");
        Assert.DoesNotContain("access_token", TestBrowser.RedirectTarget(start)!.Query);
        var step = await john.Tenant.LoginWithSmsAsync(TestBrowser.RedirectTarget(start)!, Seeded.JohnSmsPhone);
        Assert.DoesNotContain("access_token", step.RedirectTarget!.ToString());
        foreach (var path in new[] { "/Profile", "/" })
        {
            var (_, page) = await john.GetPageAsync(path);
            var urls = page.QuerySelectorAll("[href], [src], [action]").SelectMany(e => new[] { e.GetAttribute("href"), e.GetAttribute("src"), e.GetAttribute("action") }).OfType<string>().ToList();
            Assert.NotEmpty(urls);
            Assert.DoesNotContain(urls, url => url.Contains("access_token", StringComparison.OrdinalIgnoreCase));
            Assert.False(Jwt.AppearsIn(page.DocumentElement.OuterHtml), "a JWT in the page"); // none anywhere in the page
        }
    }

    [Fact]
    public async Task When_the_tenant_refuses_a_fresh_token_the_link_stops_before_any_redirect()
    {
        // No fallback to the session's own token: the flow fails clearly, no URL carries a token, nothing is linked.
        await stack.UseFlowsAsync(LinkFlows.LegacyAuthorize, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = true }); // the tenant refuses refresh for a blocked user
        try
        {
            var result = await john.LinkSmsAsync();
            Assert.StartsWith("Error:", result.Status);
            Assert.Null(result.Authorize);
            Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
            Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Flow: "LegacyAuthorize" } && e.Outcome != "ok" && e.UserId == Seeded.John));
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = false });
        }
    }
}
