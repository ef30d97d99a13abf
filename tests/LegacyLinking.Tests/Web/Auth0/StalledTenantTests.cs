using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Auth0;

/// <summary>The app with a short page deadline and circuit break, against a tenant whose routes the test stalls or fails.</summary>
public class StalledTenantStack : AppStackWithTestControls
{
    public const int DeadlineSeconds = 4;
    public const int BreakSeconds = 3;

    /// <summary>
    /// What a page may take while the tenant stalls: its deadline, and a little for everything else (the target is a
    /// second, measured in bench/; tests share a busy machine).
    /// </summary>
    public static readonly TimeSpan Slowest = TimeSpan.FromSeconds(DeadlineSeconds + 1.5);

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
    [
        new("Auth0:Http:PageDeadlineSeconds", DeadlineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Auth0:Http:CircuitBreakSeconds", BreakSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>A route that does not answer for a minute (longer than any deadline), <paramref name="count"/> times.</summary>
    public Task StallAsync(string route, int count = 1) => Controls.AddFaultAsync(new { route, latencyMs = 60_000, count });
}

/// <summary>
/// A tenant that stalls: no page waits longer than its deadline, a failed step's redirect does not wait again, and the
/// profile shows what it has when only the suggestions lookup stalls.
/// </summary>
public sealed class StalledTenantTests(StalledTenantStack stack) : IClassFixture<StalledTenantStack>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        await stack.Controls.ResetAsync();
        // Whatever a test left open closes once the tenant answers a probe after the break.
        await Task.Delay(TimeSpan.FromSeconds(StalledTenantStack.BreakSeconds), Ct);
    }

    [Fact]
    public async Task A_stalled_read_costs_the_profile_its_deadline_and_no_more()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.StallAsync("GET /api/v2/users/*");

        var clock = Stopwatch.StartNew();
        var (response, page) = await john.GetPageAsync("/Profile");

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(StalledTenantStack.DeadlineSeconds - 0.5), StalledTenantStack.Slowest);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("sign-in service did not answer", page.QuerySelector("[data-test='error']")?.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await john.GetPageAsync("/Profile")).Response.StatusCode); // the stall was one call
    }

    [Fact]
    public async Task When_only_the_suggestions_lookup_stalls_the_profile_shows_the_identities_and_says_so()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.StallAsync("GET /api/v2/users-by-email");

        var clock = Stopwatch.StartNew();
        var (response, page) = await john.GetPageAsync("/Profile");

        Assert.True(clock.Elapsed <= StalledTenantStack.Slowest, $"the profile took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("[data-test='identity-google-oauth2-115015401343387192604']"));
        Assert.NotNull(page.QuerySelector("[data-test='suggestions-unavailable']"));
        var recorded = await stack.EventsAsync(e => e is { Operation: "suggest", Outcome: "error", ErrorCode: "tenant_unavailable" } && e.UserId == Seeded.John);
        Assert.NotEmpty(recorded);
    }

    [Fact]
    public async Task A_link_that_stalled_does_not_make_the_profile_it_returns_to_wait_again()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var (_, profile) = await john.GetPageAsync("/Profile");
        await stack.Controls.ResetAsync(); // the call log from here on
        await stack.StallAsync("GET /api/v2/users/*", count: 5);

        var clock = Stopwatch.StartNew();
        var start = await john.ClickAsync(profile, "/Profile", "link-sms");
        var back = await john.FollowAsync(start);
        var page = HtmlForm.Parse(await back.Content.ReadAsStringAsync(Ct));

        Assert.True(clock.Elapsed <= StalledTenantStack.Slowest, $"the journey took {clock.Elapsed}");
        Assert.StartsWith("Error: The sign-in service did not answer", page.QuerySelector("[data-test='status-message']")?.TextContent);
        Assert.Contains("sign-in service did not answer", page.QuerySelector("[data-test='error']")?.TextContent);
        await Task.Delay(500, Ct); // the tenant logs the abandoned call once the app has hung up
        Assert.Single(await stack.CallsAsync("/api/v2/users/", "GET")); // the profile did not ask again
        await stack.Controls.ResetAsync();
        Assert.Equal(HttpStatusCode.OK, (await john.GetPageAsync("/Profile")).Response.StatusCode); // the next visit asks again
    }

    [Fact]
    public async Task A_Management_API_token_stalled_outside_any_page_costs_a_page_no_more_than_its_deadline()
    {
        // A fresh instance: its first Management API token is minted at start by the depnote reader, which has no page
        // deadline (only the attempt's timeout, a minute here); the mint stalls, and a page needing the token waits for it.
        await stack.StallAsync("POST /oauth/token");
        await using var fresh = await stack.StartSecondInstanceAsync(new KeyValuePair<string, string?>("Auth0:Http:AttemptTimeoutSeconds", "60"));
        await Task.Delay(TimeSpan.FromSeconds(0.5), Ct); // the reader's mint has begun (the sign-in's code exchange must not be the one stalled)
        var qa = stack.NewBrowser(fresh);
        await qa.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.QaEmail, Seeded.QaPassword), "/Qa/Flags");

        var clock = Stopwatch.StartNew();
        var (response, page) = await qa.GetPageAsync("/Profile");

        Assert.True(clock.Elapsed <= StalledTenantStack.Slowest, $"the profile took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("sign-in service did not answer", page.QuerySelector("[data-test='error']")?.TextContent);
    }

    [Fact]
    public async Task A_stalled_code_exchange_says_the_identity_provider_did_not_answer_within_the_deadline()
    {
        var browser = stack.NewBrowser();
        var login = await browser.Tenant.ContinueAsAsync(browser.Start("/Profile"), Seeded.John);
        await stack.StallAsync("POST /oauth/token");

        var clock = Stopwatch.StartNew();
        var (response, page) = await SignInFailedAsync(browser, login);

        Assert.True(clock.Elapsed <= StalledTenantStack.Slowest, $"the callback took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("identity provider did not answer", page.QuerySelector("[data-test='error']")?.TextContent);
        Assert.DoesNotContain("forged", page.QuerySelector("[data-test='error']")?.TextContent);
        Assert.NotNull(page.QuerySelector("a[href='/Account/Login']"));
    }

    [Fact]
    public async Task A_code_exchange_the_tenant_fails_with_a_5xx_says_the_same()
    {
        var browser = stack.NewBrowser();
        var login = await browser.Tenant.ContinueAsAsync(browser.Start("/Profile"), Seeded.John);
        await stack.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 503, count = 1 });

        var (response, page) = await SignInFailedAsync(browser, login);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("identity provider did not answer", page.QuerySelector("[data-test='error']")?.TextContent);
    }

    [Fact]
    public async Task A_second_accounts_login_the_tenant_does_not_complete_is_reported_as_such()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var (_, profile) = await john.GetPageAsync("/Profile");
        var authorize = TestBrowser.RedirectTarget(await john.ClickAsync(profile, "/Profile", "link-sms"))!;
        var login = await john.Tenant.LoginWithSmsAsync(authorize, Seeded.JohnSmsPhone);
        await stack.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 503, count = 1 });

        var result = await LinkResult.ReadAsync(await john.FollowAsync(await login.DeliverAsync(john.Http)), null, authorize);

        Assert.Equal("Error: The sign-in service did not answer while you signed in to the other account. Nothing was linked. Try again in a moment.", result.Status);
        Assert.False(result.HasIdentity("sms", "560ebaeef609ee1adaa7c551"));
    }

    private static async Task<(HttpResponseMessage Response, AngleSharp.Html.Dom.IHtmlDocument Page)> SignInFailedAsync(AppBrowser browser, TenantStep login)
    {
        var callback = await login.DeliverAsync(browser.Http);
        Assert.Contains("/Account/SignInFailed", TestBrowser.RedirectTarget(callback)?.ToString());
        var response = await browser.FollowAsync(callback);
        return (response, HtmlForm.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}

/// <summary>As <see cref="StalledTenantStack"/>, with a break long enough to see the open circuit after the rounds that opened it.</summary>
public sealed class DeadTenantStack : StalledTenantStack
{
    public const int LongBreakSeconds = 8;

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
        [.. base.AppSettings, new("Auth0:Http:CircuitBreakSeconds", LongBreakSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>A tenant that stops answering altogether: after a few failures every page fails at once, until a probe finds it back.</summary>
public sealed class DeadTenantTests(DeadTenantStack stack) : IClassFixture<DeadTenantStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dead_tenant_fails_fast_for_everyone_and_is_probed_back()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        await stack.StallAsync("/api/v2/**", count: 1_000);

        // Rounds of stalled pages until they outweigh the calls that succeeded in the circuit's window (the sign-ins',
        // the discovery read at start): then a page fails at once, without calling the tenant.
        var stalled = new List<TimeSpan>();
        TimeSpan? fast = null;
        for (var round = 0; round < 8 && fast is null; round++)
        {
            var pages = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                var clock = Stopwatch.StartNew();
                var (response, page) = await (i % 2 == 0 ? john : ada).GetPageAsync("/Profile");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Contains("sign-in service did not answer", page.QuerySelector("[data-test='error']")?.TextContent);
                return clock.Elapsed;
            }));
            stalled.AddRange(pages.Where(p => p >= TimeSpan.FromSeconds(1)));
            fast = pages.Where(p => p < TimeSpan.FromSeconds(1)).Cast<TimeSpan?>().FirstOrDefault();
        }
        Assert.NotNull(fast); // the circuit opened
        Assert.InRange(stalled.Count, 1, 4 * 8);
        Assert.All(stalled, s => Assert.True(s <= StalledTenantStack.Slowest, $"a page took {s}"));
        var open = Stopwatch.StartNew();
        var (failedFast, _) = await ada.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failedFast.StatusCode);
        Assert.True(open.Elapsed < TimeSpan.FromSeconds(1), $"an open circuit still took {open.Elapsed}");

        // The tenant answers again: after the break one page probes, and everyone is served.
        await stack.Controls.ResetAsync();
        await Task.Delay(TimeSpan.FromSeconds(DeadTenantStack.LongBreakSeconds + 0.5), Ct);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetPageAsync("/Profile")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await john.GetPageAsync("/Profile")).Response.StatusCode);
    }

    [Fact]
    public async Task When_discovery_does_not_answer_sign_in_says_so_within_the_deadline_and_recovers()
    {
        // A fresh instance: it has never read the tenant's discovery document.
        await stack.StallAsync("GET /.well-known/openid-configuration", count: 1_000);
        await using var fresh = await stack.StartSecondInstanceAsync();
        var browser = stack.NewBrowser(fresh);

        var clock = Stopwatch.StartNew();
        var response = await browser.Http.GetAsync("/Account/Login?returnUrl=%2FProfile", Ct);
        Assert.True(clock.Elapsed <= StalledTenantStack.Slowest, $"the sign-in took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var page = HtmlForm.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("identity provider", page.QuerySelector("[data-test='outage']")?.GetAttribute("data-dependency"));
        Assert.Equal("/Account/Login?returnUrl=%2FProfile", page.QuerySelector("[data-test='retry']")?.GetAttribute("href"));

        await stack.Controls.ResetAsync();
        var again = await Outages.DatabaseOutageTests.PollAsync(() => browser.Http.GetAsync("/Account/Login", Ct), r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.StartsWith(stack.Url + "/authorize", TestBrowser.RedirectTarget(again)?.ToString());
    }
}
