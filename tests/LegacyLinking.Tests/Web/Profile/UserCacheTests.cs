using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Profile;

/// <summary>
/// The app with its profile cache on (<c>Auth0:UserCacheSeconds</c>), its sessions in its database (so a second
/// instance on the same file shares the users' versions), and a tenant whose call log the tests read.
/// </summary>
public sealed class CachingApp : AppStackFixture
{
    public const int CacheSeconds = 4;

    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings => [new("LocalTenant:TestControls", "true")];

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
        [new("Auth0:UserCacheSeconds", CacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Sessions:Store", "Database")];

    public TestControlsClient Controls => new(CreateClient());
}

/// <summary>
/// The profile page within a tenant's rate limit: the user and the suggestions lookup go out together, a repeat view
/// makes no Management API call, the app's own changes show at once (on every instance), and what changed behind the
/// app's back shows once <c>Auth0:UserCacheSeconds</c> have passed.
/// </summary>
public sealed class UserCacheTests(CachingApp stack) : IClassFixture<CachingApp>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(CachingApp.CacheSeconds + 1);

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync() => await stack.Controls.ResetAsync();

    [Fact]
    public async Task The_first_view_reads_the_user_and_the_suggestions_side_by_side()
    {
        var ada = await SignInAsAdaAsync();
        await Task.Delay(Expiry, Ct); // the view after the sign-in has expired
        const int latency = 2_000;
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", latencyMs = latency, count = 1 });
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users-by-email", latencyMs = latency, count = 1 });
        await stack.Controls.ResetCallLogAsync();

        var clock = Stopwatch.StartNew();
        var (response, page) = await ada.GetPageAsync("/Profile");
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(AppBrowser.SuggestionOn(page, "github"));
        var calls = await ManagementCallsAsync();
        Assert.Contains(calls, c => c.StartsWith("GET /api/v2/users/", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("GET /api/v2/users-by-email", StringComparison.Ordinal));
        // One after the other they take two latencies at least; side by side, one and the page's own time.
        Assert.True(clock.ElapsedMilliseconds < 2 * latency - 300, $"The profile took {clock.ElapsedMilliseconds} ms: the reads went one after the other.");
    }

    [Fact]
    public async Task A_repeat_view_makes_no_Management_API_call()
    {
        var ada = await SignInAsAdaAsync();
        await stack.Controls.ResetCallLogAsync();
        for (var view = 0; view < 5; view++)
            Assert.Equal(HttpStatusCode.OK, (await ada.GetPageAsync("/Profile")).Response.StatusCode);
        Assert.Empty(await ManagementCallsAsync());
    }

    [Fact]
    public async Task A_link_and_an_unlink_show_at_once_on_this_instance_and_on_another()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await using var second = await stack.StartSecondInstanceAsync();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var onSecond = new AppBrowser(second.Url, stack, john.Cookies);
        var sms = Seeded.JohnSms.Split('|')[1];
        Assert.Null((await onSecond.GetPageAsync("/Profile")).Page.QuerySelector($"[data-test='identity-sms-{sms}']")); // cached there too

        var linked = await john.LinkSmsAsync();
        Assert.StartsWith("Your Phone account is linked", linked.Status);
        Assert.True(linked.HasIdentity("sms", sms));
        Assert.NotNull((await onSecond.GetPageAsync("/Profile")).Page.QuerySelector($"[data-test='identity-sms-{sms}']"));

        var unlinked = await john.UnlinkAsync("sms", sms);
        Assert.False(unlinked.HasIdentity("sms", sms), unlinked.Status);
        Assert.Null((await onSecond.GetPageAsync("/Profile")).Page.QuerySelector($"[data-test='identity-sms-{sms}']"));
    }

    [Fact]
    public async Task A_change_made_behind_the_apps_back_shows_once_the_cache_time_has_passed()
    {
        var ada = await SignInAsAdaAsync();
        // A view read now, not one an earlier test of this class left behind with an unknown time to live.
        await Task.Delay(Expiry, Ct);
        var color = "c" + Guid.NewGuid().ToString("N")[..8];
        Assert.DoesNotContain(color, await MetadataAsync(ada));
        await TenantAdmin.PatchUserAsync(stack, Seeded.AdaDatabase, new { user_metadata = new { color } });

        Assert.DoesNotContain(color, await MetadataAsync(ada)); // still the view read before the change
        await Task.Delay(Expiry, Ct);
        Assert.Contains(color, await MetadataAsync(ada));
    }

    private async Task<AppBrowser> SignInAsAdaAsync()
    {
        var ada = stack.NewBrowser();
        await ada.SignInAsync((driver, start) => driver.LoginWithPasswordAsync(start, Seeded.AdaEmail, Seeded.AdaPassword));
        return ada;
    }

    private static async Task<string> MetadataAsync(AppBrowser browser) =>
        (await browser.GetPageAsync("/Profile")).Page.QuerySelector("[data-test='user-metadata']")?.TextContent ?? "";

    /// <summary>The Management API calls in the tenant's call log, as "METHOD /path".</summary>
    private async Task<List<string>> ManagementCallsAsync() =>
        [.. (await stack.Controls.CallsAsync("/api/v2/users")).Select(c => $"{c.GetProperty("method").GetString()} {c.GetProperty("path").GetString()}")];
}
