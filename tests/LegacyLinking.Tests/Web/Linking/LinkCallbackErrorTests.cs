using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// <c>/link/callback?error=…&amp;error_description=…</c> is a URL anyone can send a signed-in user to: only an attempt
/// this browser's session started gets an answer on the profile page, and no answer repeats the callback's text.
/// </summary>
public sealed class LinkCallbackErrorTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    private const string AttackerText = "Your account is locked. Call +1-555-0100 now";

    private readonly CapturingLoggerProvider logs = new();

    public async ValueTask InitializeAsync()
    {
        stack.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
    }

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task A_crafted_error_callback_without_state_changes_shows_and_records_nothing()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        var callback = await john.Http.GetAsync(Crafted(state: null, "access_denied"));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/Profile", TestBrowser.RedirectTarget(callback)!.PathAndQuery);
        var profile = await LinkResult.ReadAsync(await john.FollowAsync(callback), null, null);

        Assert.Null(profile.Status);
        Assert.Contains(logs.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal)
            && line.Contains("A link callback that belongs to no attempt of this session was ignored (attempt unreadable).", StringComparison.Ordinal));
        Assert.DoesNotContain("555-0100", profile.Page.DocumentElement.OuterHtml);
        Assert.Null(profile.Page.QuerySelector("[data-test='attempt-row']"));
    }

    [Fact]
    public async Task A_callback_carrying_another_browsers_attempt_shows_and_records_nothing_here()
    {
        // The attacker starts a link in their own browser and sends the victim its callback with their text.
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var adasState = await StartLinkAsync(ada);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();

        var profile = await OpenAsync(john, Crafted(adasState, "access_denied"));

        Assert.Null(profile.Status);
        Assert.DoesNotContain("555-0100", profile.Page.DocumentElement.OuterHtml);
        Assert.Null(profile.Page.QuerySelector("[data-test='attempt-row']"));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Theory]
    [InlineData("access_denied", "access_denied")]
    [InlineData("account_locked_call_support", "unknown_error")]
    public async Task This_sessions_attempt_is_answered_in_the_apps_own_words_only(string error, string shown)
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var state = await StartLinkAsync(john);

        var profile = await OpenAsync(john, Crafted(state, error));

        Assert.Equal("Error: The sign-in service refused the other account's sign-in. Nothing was linked. Try again; if it keeps happening, tell your administrator.", profile.Status);
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Outcome: "rejected" } && e.ErrorCode == shown && e.UserId == Seeded.John));
        Assert.DoesNotContain("555-0100", profile.Page.DocumentElement.OuterHtml);
        if (error != shown) Assert.DoesNotContain(error, profile.Page.DocumentElement.OuterHtml);
        Assert.NotEmpty(await stack.EventsAsync(e => e is { Operation: "link", Outcome: "rejected" } && e.ErrorCode == shown && e.UserId == Seeded.John));
    }

    [Fact]
    public async Task Qa_reads_the_tenants_refusal_with_its_code_and_the_log_keeps_the_description_on_one_line()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var state = await StartLinkAsync(qa);

        var profile = await OpenAsync(qa, Crafted(state, "access_denied", AttackerText + "\r\nInjected log line"));

        Assert.Equal("For QA: Error: Linking through AccessToken failed: the tenant refused the second account's sign-in (access_denied); nothing was linked.",
            profile.Page.QuerySelector("[data-test='status-detail']")?.TextContent.Trim());
        Assert.DoesNotContain("555-0100", profile.Page.DocumentElement.OuterHtml);
        // The operator's log keeps what the tenant said, without the line breaks a forged description could use.
        Assert.Contains(logs.Lines, line => line.StartsWith("Information ", StringComparison.Ordinal)
            && line.Contains("(AccessToken): access_denied: " + AttackerText + "Injected log line", StringComparison.Ordinal));
    }

    /// <summary>Clicks "link sms" in <paramref name="browser"/>: the state of the attempt it started (its tenant redirect).</summary>
    private static async Task<string> StartLinkAsync(AppBrowser browser) =>
        QueryHelpers.ParseQuery((await browser.StartLinkAsync()).Query)["state"].Single()!;

    private static string Crafted(string? state, string error, string description = AttackerText) =>
        QueryHelpers.AddQueryString("/link/callback", new Dictionary<string, string?>
        {
            ["state"] = state,
            ["error"] = error,
            ["error_description"] = description,
        }.Where(p => p.Value is not null));

    private static async Task<LinkResult> OpenAsync(AppBrowser browser, string url) =>
        await LinkResult.ReadAsync(await browser.FollowAsync(await browser.Http.GetAsync(url)), null, null);
}
