using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking.Secondary;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>The app and a tenant with test controls; a stalled tenant call gives up after a second (then three retries).</summary>
public sealed class LegacyAuthorizeStack : AppStackWithTestControls
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Auth0:Http:AttemptTimeoutSeconds", "1")];
}

/// <summary>
/// The Lock-era flow's tenant links whichever account signs in, during the login, before the app sees anything: the
/// page and the migration record must say what the tenant really did (whatever failed after the login), what a link the
/// app had to take off cost that account, and QA must be told what the flow costs before choosing it.
/// </summary>
public sealed class LegacyAuthorizeTruthTests(LegacyAuthorizeStack stack) : IClassFixture<LegacyAuthorizeStack>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public async ValueTask InitializeAsync()
    {
        await stack.Controls.ResetAsync();
        await stack.UseFlowsAsync(LinkFlows.LegacyAuthorize, UnlinkFlows.AccessToken);
    }

    public async ValueTask DisposeAsync()
    {
        await stack.Controls.ResetAsync();
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub);
    }

    public static TheoryData<string, object> FaultsAfterTheTenantLinked => new()
    {
        { "the token endpoint answers 503 to the code", new { route = "POST /oauth/token", status = 503, count = 1 } },
        { "reading the user fails (every retry)", new { route = "GET /api/v2/users/*", status = 503, count = 4 } },
    };

    /// <summary>Run by <see cref="LegacyAuthorizeStalledReadTests"/> on an app of its own.</summary>
    public static readonly object StalledUserRead = new { route = "GET /api/v2/users/*", latencyMs = 3000, count = 4 };

    [Theory]
    [MemberData(nameof(FaultsAfterTheTenantLinked))]
    public async Task After_a_failure_in_the_callback_the_tenants_truth_is_reported_and_recorded_and_other_sessions_end(string fault, object injected)
    {
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var authorize = await john.StartLinkAsync();

        await stack.Controls.AddFaultAsync(injected);
        var result = await SignInToSmsAndFinishAsync(john, authorize);

        Assert.True((await stack.Controls.FaultsAsync()).Count == 0, $"the fault ({fault}) was not hit as often as armed");
        Assert.Equal("Your Phone account is linked: signing in with it now opens this account.", result.Status);
        Assert.True(result.HasIdentity("sms", SmsId));
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Flow: "LegacyAuthorize", Outcome: "ok" } && e.UserId == Seeded.John));
        Assert.True(await phone.IsSignedOutAsync(), "another session of the user carried on");
    }

    [Fact]
    public async Task When_the_tenant_cannot_be_read_at_all_the_page_says_the_link_may_have_happened_and_other_sessions_end()
    {
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var authorize = await john.StartLinkAsync();

        // The confirmation's read and the read of the truth after it, each with every retry.
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", status = 503, count = 8 });
        var result = await SignInToSmsAndFinishAsync(john, authorize);

        Assert.Equal("Error: We could not confirm whether your Phone account was linked. Reload the page: if it is not in your list, link it again.", result.Status);
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Flow: "LegacyAuthorize", Outcome: "error", ErrorCode: "unconfirmed" } && e.UserId == Seeded.John));
        Assert.True(await phone.IsSignedOutAsync(), "another session of the user carried on");
    }

    [Fact]
    public async Task A_link_to_another_account_than_the_chosen_one_is_undone_and_the_page_and_record_say_what_that_account_lost()
    {
        // The sms account has metadata and a sign-in history to lose.
        await TenantAdmin.PatchUserAsync(stack, Seeded.JohnSms, new { user_metadata = new { color = "blue" }, app_metadata = new { plan = "gold" } });
        await stack.NewBrowser().SignInAsync((d, s) => d.LoginWithSmsAsync(s, Seeded.JohnSmsPhone));
        var before = await TenantAdmin.GetUserAsync(stack, Seeded.JohnSms);
        Assert.True(before.TryGetProperty("logins_count", out _) && before.TryGetProperty("app_metadata", out _));
        var phone = stack.NewBrowser();
        await phone.SignInAsJohnAsync();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        // An attempt that names the account it is for, as one started before suggestions stopped being held to this
        // flow (the page offers none now, and a new one is refused): the state the app wrote, rewritten with a target.
        var authorize = WithTarget(await john.StartLinkAsync(), "sms|5f0000000000000000000001");
        var result = await SignInToSmsAndFinishAsync(john, authorize);

        Assert.Equal("Error: You signed in to a different account than the one you chose. The sign-in service linked it anyway, so we took it off "
            + "your account again; that other account lost its saved settings in the process. Try again and sign in to the account you chose.", result.Status);
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Flow: "LegacyAuthorize", Outcome: "undone" } && e.UserId == Seeded.John));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));

        // Exactly that is what the account lost at the tenant.
        var after = await TenantAdmin.GetUserAsync(stack, Seeded.JohnSms);
        foreach (var lost in new[] { "user_metadata", "app_metadata" })
            Assert.False(after.TryGetProperty(lost, out var value) && value.EnumerateObject().Any(), $"{lost} came back: {after}");
        Assert.False(after.TryGetProperty("logins_count", out _) || after.TryGetProperty("last_login", out _), $"sign-ins came back: {after}");
        Assert.True(after.GetProperty("created_at").GetDateTimeOffset() > before.GetProperty("created_at").GetDateTimeOffset());

        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Flow: "LegacyAuthorize", Outcome: "undone", ErrorCode: "wrong_account" } && e.UserId == Seeded.John));
        Assert.True(await phone.IsSignedOutAsync(), "another session of the user carried on");
    }

    [Fact]
    public async Task A_suggestion_says_this_flow_cannot_promise_it_and_offers_the_plain_link_instead()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var (_, profile) = await ada.GetPageAsync("/Profile");
        var handle = AppBrowser.SuggestionOn(profile, "github")!;

        Assert.Contains("cannot be promised", profile.QuerySelector($"[data-test='suggestion-not-honoured-{handle}']")?.TextContent);
        Assert.Null(HtmlForm.Find(profile, ada.Start("/Profile"), $"[data-test='link-suggestion-{handle}']")["suggestion"]);

        // Posted with the suggestion anyway (a page from before the flow changed, or by hand): refused before any redirect.
        var posted = await ada.ClickAsync(profile, "/Profile", $"link-suggestion-{handle}", form => form.Set("suggestion", handle));
        Assert.True(TestBrowser.SameOrigin(TestBrowser.RedirectTarget(posted)!, ada.Start("/")), "sent to the tenant with a token in the URL");
        var refused = await LinkResult.ReadAsync(await ada.FollowAsync(posted), null, null);
        Assert.Equal("Error: With the sign-in method in use just now, we cannot make sure the suggested account is the one that gets linked. "
            + "Nothing was linked. Use \"Link a GitHub account\" instead, and sign in to exactly that account.", refused.Status);

        // The plain link it offers links the account signed in to.
        var linked = await ada.LinkAsync($"link-suggestion-{handle}", (driver, start) => driver.ContinueAsAsync(start, Seeded.AdaGithub));
        Assert.StartsWith("Your GitHub account is linked", linked.Status);
    }

    [Fact]
    public async Task QA_and_the_readiness_box_are_told_what_the_flow_costs_and_what_a_leaked_URL_allows()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        // A change, whatever an earlier test of the class left: choosing what is already in force changes nothing and says so.
        await qa.SetFlagAsync(FlagNames.LinkFlow, LinkFlows.AccessToken);
        var chosen = await LinkResult.ReadAsync(await qa.SetFlagAsync(FlagNames.LinkFlow, LinkFlows.LegacyAuthorize), null, null);
        Assert.Contains("Caution", chosen.Status);

        var cautions = chosen.Page.QuerySelectorAll("[data-test='caution-LinkFlow']").Select(e => e.TextContent).ToList();
        Assert.Contains(cautions, c => c.Contains("comes back as a new account") && c.Contains("app_metadata") && c.Contains("created_at") && c.Contains("logins_count"));
        Assert.Contains(cautions, c => c.Contains("/userinfo") && c.Contains("POST /unlink") && c.Contains("a way into the user's account"));
        Assert.Null(chosen.Page.QuerySelector("[data-test='caution-UnlinkFlow']"));

        var (_, migration) = await qa.GetPageAsync("/Migration");
        var readiness = migration.QuerySelectorAll("[data-test='readiness-caution-LegacyAuthorize']").Select(e => e.TextContent).ToList();
        Assert.Contains(readiness, c => c.Contains("POST /unlink") && c.Contains("/userinfo"));
        Assert.Null(migration.QuerySelector("[data-test='readiness-caution-LegacyIdToken']"));
    }

    [Fact]
    public async Task A_leaked_URL_token_reads_the_profile_and_unlinks_through_POST_unlink_as_the_caution_says()
    {
        await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var token = QueryHelpers.ParseQuery((await john.StartLinkAsync()).Query)["access_token"].Single()!;
        using var http = new HttpClient { BaseAddress = new Uri(stack.Url) };

        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/userinfo");
        userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var profile = await http.SendAsync(userinfo);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal(Seeded.John, (await profile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sub").GetString());

        var unlink = await http.PostAsJsonAsync("/unlink", new { access_token = token, user_id = Seeded.JohnSms });
        Assert.Equal(HttpStatusCode.OK, unlink.StatusCode);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }


    private static async Task<LinkResult> SignInToSmsAndFinishAsync(AppBrowser browser, Uri authorize)
    {
        var step = await browser.Tenant.LoginWithSmsAsync(authorize, Seeded.JohnSmsPhone);
        return await LinkResult.ReadAsync(await browser.FollowAsync(await step.DeliverAsync(browser.Http)), LinkFlows.LegacyAuthorize, authorize);
    }

    /// <summary>The same authorization request, its protected state rewritten with a chosen account, as the app writes one.</summary>
    private Uri WithTarget(Uri authorize, string target)
    {
        var format = stack.App.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(AuthSchemes.Auth0Link).StateDataFormat;
        var query = QueryHelpers.ParseQuery(authorize.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        var properties = format.Unprotect(query["state"])!;
        (LinkAttempt.ReadFrom(properties)! with { TargetUserId = target }).WriteTo(properties);
        query["state"] = format.Protect(properties);
        return new Uri(QueryHelpers.AddQueryString(authorize.GetLeftPart(UriPartial.Path), query));
    }
}

/// <summary>
/// The stalled user read of <see cref="LegacyAuthorizeTruthTests"/> on a fresh app: its one circuit breaker counts every
/// failed tenant call of the last 30 s, so after the other cases' failures these stalls would open it, the read of the
/// truth would be refused at once and the page would rightly say "could not be confirmed" instead.
/// </summary>
public sealed class LegacyAuthorizeStalledReadTests(LegacyAuthorizeStack stack) : IClassFixture<LegacyAuthorizeStack>, IAsyncLifetime
{
    private readonly LegacyAuthorizeTruthTests _truth = new(stack);

    public ValueTask InitializeAsync() => _truth.InitializeAsync();

    public ValueTask DisposeAsync() => _truth.DisposeAsync();

    [Fact]
    public Task After_a_stalled_user_read_in_the_callback_the_tenants_truth_is_reported_and_recorded_and_other_sessions_end() =>
        _truth.After_a_failure_in_the_callback_the_tenants_truth_is_reported_and_recorded_and_other_sessions_end(
            "reading the user stalls (every retry)", LegacyAuthorizeTruthTests.StalledUserRead);
}
