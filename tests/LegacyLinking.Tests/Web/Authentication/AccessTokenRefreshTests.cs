using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// A tenant whose access tokens live a few seconds, and an app that refreshes a minute before expiry: every request
/// of a session is near expiry, and waiting a few seconds outlives any token minted before.
/// </summary>
public sealed class ShortLivedTokensStack : AppStackWithTestControls
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(4);

    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings =>
        [.. base.TenantSettings, new("LocalTenant:AccessTokenLifetimeSeconds", $"{Lifetime.TotalSeconds}")];

    /// <summary>How long the app waits after a failed refresh before any session tries again.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
        [new("Sessions:AccessTokenRefreshSeconds", "60"), new("Sessions:AccessTokenRefreshRetrySeconds", $"{Pause.TotalSeconds}")];

    /// <summary>The refresh-token grants the app sent, oldest first.</summary>
    public async Task<JsonElement[]> RefreshesAsync() =>
        (await CallsAsync("/oauth/token", "POST")).Where(c => c.GetProperty("grantType").GetString() == "refresh_token").ToArray();
}

/// <summary>The session's access token is refreshed before it expires; a refusal ends the session, an outage does not.</summary>
public sealed class AccessTokenRefreshTests(ShortLivedTokensStack stack) : IClassFixture<ShortLivedTokensStack>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        await stack.Controls.ResetAsync();
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
    }

    [Fact]
    public async Task Near_expiry_a_request_refreshes_the_token_and_linking_works_after_the_first_token_expired()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.ResetAsync();

        Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", Ct)).StatusCode);
        var refresh = Assert.Single(await stack.RefreshesAsync());
        Assert.Equal((200, "legacylinking-web"), (refresh.GetProperty("status").GetInt32(), refresh.GetProperty("clientId").GetString()));

        // Every token minted so far has expired (the tenant allows no clock skew): only a refreshed one can still link.
        await Task.Delay(ShortLivedTokensStack.Lifetime + TimeSpan.FromSeconds(1), Ct);
        var linked = await john.LinkSmsAsync();
        Assert.Equal(LinkFlows.AccessToken, linked.Flow);
        Assert.StartsWith("Your Phone account is linked", linked.Status);

        await Task.Delay(ShortLivedTokensStack.Lifetime + TimeSpan.FromSeconds(1), Ct);
        var unlinked = await john.UnlinkAsync("sms", SmsId);
        Assert.Equal(UnlinkFlows.AccessToken, unlinked.Flow);
        Assert.StartsWith("Your Phone account is unlinked", unlinked.Status);
        var userCalls = (await stack.CallsAsync("/api/v2/users", "POST")).Concat(await stack.CallsAsync("/api/v2/users", "DELETE"));
        Assert.All(userCalls, c => Assert.Equal("access_token", c.GetProperty("bearer").GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session_blocked_user()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = true }); // the tenant refuses refresh for a blocked user
        try
        {
            await AssertSignedOutAsync(john);
            // Auth0's answer for a blocked user: 403 invalid_grant "user is blocked".
            Assert.Single(await stack.RefreshesAsync(), c => c.GetProperty("status").GetInt32() == 403);

            // Ended, not just refused once: unblocked, the same cookie still has to sign in again, and doing so works.
            await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = false });
            await AssertSignedOutAsync(john);
            Assert.Equal(HttpStatusCode.OK, (await stack.NewBrowser().SignInAsJohnAsync()).StatusCode);
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = false });
        }
    }

    [Fact]
    public async Task A_refresh_token_the_tenant_no_longer_knows_ends_the_session()
    {
        var email = $"refresh-{Guid.NewGuid():N}@example.com";
        var userId = await TenantAdmin.CreateDatabaseUserAsync(stack, email, "Refresh-Passw0rd!");
        var user = stack.NewBrowser();
        await user.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, email, "Refresh-Passw0rd!"));
        await TenantAdmin.DeleteUserAsync(stack, userId); // deleting a user revokes its refresh tokens
        await stack.Controls.ResetAsync();

        await AssertSignedOutAsync(user);
        Assert.Equal([403], (await stack.RefreshesAsync()).Select(c => c.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task A_rotated_client_secret_ends_the_session_on_the_tenants_401()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.ResetAsync();
        await TenantAdmin.SetClientSecretAsync(stack, "rotated-in-the-dashboard");
        try
        {
            await AssertSignedOutAsync(john);
            Assert.Equal([401], (await stack.RefreshesAsync()).Select(c => c.GetProperty("status").GetInt32()));
        }
        finally
        {
            await TenantAdmin.SetClientSecretAsync(stack, LocalTenantFixture.ClientSecret);
        }
    }

    [Fact]
    public async Task A_rate_limited_refresh_keeps_the_session()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.ResetAsync();
        // One token in the bucket, the next in 100 s (longer than the app waits for a retry): spend it, then refresh.
        await stack.Controls.SetRateLimitAsync(new { enabled = true, burstSize = 1, tokensPerSecond = 0.01 }, tokenEndpoint: true);
        await TenantTokens.ClientCredentialsAsync(stack);

        Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", Ct)).StatusCode);
        Assert.Equal([429], (await stack.RefreshesAsync()).Select(c => c.GetProperty("status").GetInt32()));
        await OutlivePauseAsync();
    }

    [Fact]
    public async Task A_malformed_request_answer_keeps_the_session()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.ResetAsync();
        // 400 invalid_request says nothing about this grant (Auth0 refuses grants with 403): not a reason to sign out.
        await stack.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 400, count = 1 });

        Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", Ct)).StatusCode);
        Assert.Equal([400], (await stack.RefreshesAsync()).Select(c => c.GetProperty("status").GetInt32()));
        await OutlivePauseAsync();
    }

    /// <summary>A passing failure paused this app instance's refreshes; the next test must not inherit the pause.</summary>
    private static Task OutlivePauseAsync() => Task.Delay(ShortLivedTokensStack.Pause + TimeSpan.FromMilliseconds(500), Ct);

    [Fact]
    public async Task A_tenant_outage_keeps_the_sessions_and_refreshes_pause_before_trying_again()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        await stack.Controls.ResetAsync();
        await stack.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 503, count = 1 });

        Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", Ct)).StatusCode);
        // Paused: neither this session nor another one near expiry asks the tenant again straight away.
        Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ada.Http.GetAsync("/Profile", Ct)).StatusCode);
        Assert.Equal([503], (await stack.RefreshesAsync()).Select(c => c.GetProperty("status").GetInt32()));

        await Task.Delay(ShortLivedTokensStack.Pause + TimeSpan.FromMilliseconds(500), Ct);
        Assert.Equal(HttpStatusCode.OK, (await john.Http.GetAsync("/Profile", Ct)).StatusCode);
        Assert.Equal([503, 200], (await stack.RefreshesAsync()).Select(c => c.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task No_token_value_reaches_the_apps_log()
    {
        var logs = new CapturingLoggerProvider();
        stack.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        await stack.Controls.AddFaultAsync(new { route = "POST /oauth/token", status = 503, count = 1 });
        await john.Http.GetAsync("/Profile", Ct); // kept: the tenant is down
        await Task.Delay(ShortLivedTokensStack.Pause + TimeSpan.FromMilliseconds(500), Ct);
        await john.Http.GetAsync("/Profile", Ct); // refreshed
        await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = true });
        try
        {
            await john.Http.GetAsync("/Profile", Ct); // refused: signed out
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.John, new { blocked = false });
        }

        Assert.Contains(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("(403 invalid_grant)", StringComparison.Ordinal));
        var leaks = logs.Lines.Where(line => Jwt.AppearsIn(line) || line.Contains("refresh_token=", StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "token material in the app's log:\n" + string.Join("\n", leaks.Take(3)));
    }

    /// <summary>The session is gone: the app sends the browser to the tenant to sign in again.</summary>
    private async Task AssertSignedOutAsync(AppBrowser browser)
    {
        var response = await browser.Http.GetAsync("/Profile", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = TestBrowser.RedirectTarget(response)!;
        Assert.True(TestBrowser.SameOrigin(target, new Uri(stack.Url)), $"expected a sign-in at the tenant, got {target}");
        Assert.EndsWith("/authorize", target.AbsolutePath);
    }
}

/// <summary>Default settings: Auth0's 24 h tokens, refreshed only in the last five minutes.</summary>
public sealed class AccessTokenKeptTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>
{
    [Fact]
    public async Task Far_from_expiry_no_refresh_token_is_spent()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await john.GetPageAsync("/Profile")).Response.StatusCode);

        var grants = (await stack.CallsAsync("/oauth/token", "POST")).Select(c => c.GetProperty("grantType").GetString()).ToList();
        Assert.Contains("authorization_code", grants); // the log does see this session's token requests
        Assert.DoesNotContain("refresh_token", grants);
    }
}
