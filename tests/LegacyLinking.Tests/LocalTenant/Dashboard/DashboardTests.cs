using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.LocalTenant.RateLimiting;

namespace LegacyLinking.Tests.LocalTenant.Dashboard;

/// <summary>
/// <c>/dashboard</c>: the seeded users and tenant flags on one page, flags saved through the same store the Management
/// API reads, rate limiting switched at run time, the recent log, the sent emails; antiforgery on every POST.
/// </summary>
public sealed class DashboardTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] FlagNames = ["enable_idtoken_api2", "allow_legacy_unlink_endpoint", "allow_authorize_access_token_linking"];

    [Fact]
    public async Task Shows_the_seeded_users_with_their_identities_the_flags_and_recent_logs()
    {
        await new TenantBearers(tenant).SignInAsync(Seeded.AdaGithub);
        using var browser = tenant.CreateClient();

        var page = await OpenAsync(browser);

        foreach (var sub in new[] { Seeded.John, Seeded.JohnSms, Seeded.AdaDatabase, Seeded.AdaGithub, Seeded.AdaFacebookUnverified, Seeded.Qa })
        {
            var row = page.QuerySelector($"[data-test='tenant-user-{sub}']");
            Assert.True(row is not null, $"no row for {sub}");
            Assert.NotNull(row.QuerySelector($"[data-test='tenant-identity-{sub}']"));
        }
        Assert.Contains("johndoe@gmail.com", page.QuerySelector($"[data-test='tenant-user-{Seeded.John}']")!.TextContent);
        foreach (var flag in FlagNames)
        {
            var box = page.QuerySelector($"[data-test='tenant-flag-{flag}']") as IHtmlInputElement;
            Assert.True(box is { Type: "checkbox", IsChecked: true }, $"{flag} is on in the seed");
        }
        Assert.NotNull(page.QuerySelector("[data-test='tenant-save']"));
        var logins = page.QuerySelectorAll("[data-test='tenant-log-row']").Select(r => r.TextContent).ToList();
        Assert.Contains(logins, text => text.Contains(Seeded.AdaGithub, StringComparison.Ordinal) || text.Contains("Ada Lovelace", StringComparison.Ordinal));
        Assert.False(Jwt.AppearsIn(await browser.GetStringAsync("/dashboard", Ct)));
    }

    [Fact]
    public async Task Saving_a_flag_change_shows_in_the_Management_APIs_tenant_settings()
    {
        using var browser = tenant.CreateClient();
        var page = await OpenAsync(browser);
        var form = HtmlForm.Find(page, new Uri(tenant.Url + "/dashboard"), "[data-test='tenant-save']");
        // Everything checked except enable_idtoken_api2: unchecked boxes are not posted, as a browser does.
        var fields = form.Fields.Where(f => f.Key != "EnabledFlags").Concat(FlagNames.Skip(1).Select(f => new KeyValuePair<string, string>("EnabledFlags", f)));

        var api = new TenantApi(browser, new Uri(tenant.Url));
        try
        {
            using var saved = await browser.PostAsync(form.Submit("tenant-save").RequestUri, new FormUrlEncodedContent(fields), Ct);
            var settings = await api.GetAsync("tenants/settings", await new TenantBearers(tenant).AdminTokenAsync());

            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var flags = settings.Json.GetProperty("flags");
            Assert.False(flags.GetProperty("enable_idtoken_api2").GetBoolean());
            Assert.True(flags.GetProperty("allow_legacy_unlink_endpoint").GetBoolean());
            Assert.True(flags.GetProperty("allow_authorize_access_token_linking").GetBoolean());
            var after = await OpenAsync(browser, saved.Headers.Location!.OriginalString);
            Assert.False(((IHtmlInputElement)after.QuerySelector("[data-test='tenant-flag-enable_idtoken_api2']")!).IsChecked);
            Assert.NotNull(after.QuerySelector("[data-test='tenant-status']"));
        }
        finally
        {
            // Back to the seed for the other tests of this class.
            await api.PatchAsync("tenants/settings", await new TenantBearers(tenant).AdminTokenAsync(),
                new { flags = new { enable_idtoken_api2 = (bool?)null } });
        }
    }

    [Fact]
    public async Task Rate_limiting_switched_on_from_the_dashboard_limits_the_Management_API()
    {
        using var browser = tenant.CreateClient();
        var page = await OpenAsync(browser);
        var form = HtmlForm.Find(page, new Uri(tenant.Url + "/dashboard"), "[data-test='tenant-ratelimit-save']")
            .Set("RateLimitProfile", "custom").Set("BurstSize", "1").Set("TokensPerSecond", "0.1");
        var fields = form.Fields.Append(new("RateLimitEnabled", "true"));
        try
        {
            using var saved = await browser.PostAsync(form.Submit().RequestUri, new FormUrlEncodedContent(fields), Ct);
            using var first = await ManagementCalls.GetAsync(browser, "/api/v2/users/x");
            using var second = await ManagementCalls.GetAsync(browser, "/api/v2/users/x");

            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal(1, RateLimitHeaders.Of(first).Limit);
            await ManagementCalls.AssertTooManyRequestsAsync(second);
            Assert.Contains("on — custom: 1 burst", (await OpenAsync(browser)).QuerySelector("[data-test='tenant-ratelimit-current']")!.TextContent);
        }
        finally
        {
            var off = HtmlForm.Find(await OpenAsync(browser), new Uri(tenant.Url + "/dashboard"), "[data-test='tenant-ratelimit-save']")
                .Set("RateLimitProfile", "free");
            using var reset = await browser.PostAsync(off.Submit().RequestUri, new FormUrlEncodedContent(off.Fields), Ct);
        }
    }

    [Fact]
    public async Task Sent_emails_show_the_reset_link_an_account_was_sent()
    {
        using var browser = tenant.CreateClient();
        using var requested = await browser.PostAsJsonAsync("/dbconnections/change_password",
            new { client_id = LocalTenantFixture.ClientId, email = Seeded.QaEmail, connection = TenantLoginDriver.DatabaseConnection }, Ct);
        requested.EnsureSuccessStatusCode();

        var page = await OpenAsync(browser);

        var row = Assert.Single(page.QuerySelectorAll("[data-test='tenant-email-row']"), r => r.TextContent.Contains(Seeded.QaEmail, StringComparison.Ordinal));
        Assert.StartsWith(tenant.Url + "/lo/reset?ticket=", row.QuerySelector("[data-test='tenant-email-link']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Bad_rate_limit_numbers_are_a_400_with_the_reason()
    {
        using var browser = tenant.CreateClient();
        var form = HtmlForm.Find(await OpenAsync(browser), new Uri(tenant.Url + "/dashboard"), "[data-test='tenant-ratelimit-save']")
            .Set("RateLimitProfile", "custom").Set("BurstSize", "0");

        using var response = await browser.PostAsync(form.Submit().RequestUri, new FormUrlEncodedContent(form.Fields), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("BurstSize", HtmlForm.Parse(await response.Content.ReadAsStringAsync(Ct)).QuerySelector("[data-test='tenant-error']")!.TextContent);
    }

    [Theory]
    [InlineData("Flags")]
    [InlineData("RateLimit")]
    public async Task A_post_without_the_antiforgery_token_is_a_400_and_changes_nothing(string handler)
    {
        using var browser = tenant.CreateClient();
        await OpenAsync(browser); // the antiforgery cookie alone is not enough

        using var response = await browser.PostAsync("/dashboard?handler=" + handler, new FormUrlEncodedContent(
            new Dictionary<string, string> { ["RateLimitEnabled"] = "true", ["RateLimitProfile"] = "free" }), Ct);
        var settings = await new TenantApi(browser, new Uri(tenant.Url))
            .GetAsync("tenants/settings", await new TenantBearers(tenant).AdminTokenAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(settings.Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());
        using var api = await ManagementCalls.GetAsync(browser, "/api/v2/users/x");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, api.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_answers_loopback_names_only_and_uses_the_tenants_cookie_names()
    {
        using var browser = tenant.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        request.Headers.Host = "rebound.example:" + new Uri(tenant.Url).Port;

        using var foreign = await browser.SendAsync(request, Ct);
        using var local = await browser.GetAsync("/dashboard", Ct);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        var cookies = local.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.StartsWith("ll_tenant_", c));
    }

    private static async Task<IHtmlDocument> OpenAsync(HttpClient browser, string url = "/dashboard")
    {
        using var response = await browser.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return HtmlForm.Parse(await response.Content.ReadAsStringAsync(Ct));
    }
}
