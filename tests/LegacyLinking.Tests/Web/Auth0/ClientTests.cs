using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LegacyLinking.Tests.Web.Auth0;

/// <summary>The app's typed clients against the real local tenant over HTTP.</summary>
public sealed class ClientTests(AppStackFixture stack) : IClassFixture<AppStackFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    // Each test starts from the seeded links even when a previous one failed half-way.
    public async ValueTask DisposeAsync()
    {
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub);
    }

    private T Get<T>() where T : notnull => stack.App.Services.CreateScope().ServiceProvider.GetRequiredService<T>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_reads_the_user_with_identities_and_metadata()
    {
        var user = await Get<ManagementApiClient>().Users.GetAsync(Seeded.John, cancellationToken: Ct);
        Assert.Equal("John Doe", user.FullName);
        Assert.True(user.EmailVerified);
        var identity = Assert.Single(user.Identities);
        Assert.Equal(("google-oauth2", "115015401343387192604", "google-oauth2"), (identity.Provider, identity.UserId, identity.Connection));
        Assert.Equal("red", (string?)user.UserMetadata!["color"]);
        Assert.Equal("Admin", (string?)user.AppMetadata!["roles"]![0]);
    }

    [Fact]
    public async Task UpdateAsync_merges_metadata_and_null_deletes_a_key()
    {
        var users = Get<ManagementApiClient>().Users;
        var added = await users.UpdateAsync(Seeded.AdaGithub, new UserUpdateRequest { UserMetadata = new JsonObject { ["shoe"] = 42 } }, Ct);
        Assert.Equal(42, (int?)added.UserMetadata!["shoe"]);
        var removed = await users.UpdateAsync(Seeded.AdaGithub, new UserUpdateRequest { UserMetadata = new JsonObject { ["shoe"] = null } }, Ct);
        Assert.False(removed.UserMetadata?.ContainsKey("shoe") ?? false);
    }

    [Fact]
    public async Task GetUsersByEmailAsync_returns_every_account_with_the_email()
    {
        var users = await Get<ManagementApiClient>().Users.GetUsersByEmailAsync(Seeded.AdaEmail, cancellationToken: Ct);
        Assert.Equal(
            new[] { Seeded.AdaDatabase, Seeded.AdaFacebookUnverified, Seeded.AdaGithub }.Order(),
            users.Select(u => u.UserId).Order());
        Assert.False(users.Single(u => u.UserId == Seeded.AdaFacebookUnverified).EmailVerified);
    }

    [Fact]
    public async Task Unknown_users_raise_ErrorApiException_with_auth0s_error()
    {
        var error = await Assert.ThrowsAsync<ErrorApiException>(() => Get<ManagementApiClient>().Users.GetAsync("auth0|doesnotexist", cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("inexistent_user", error.ApiError.ErrorCode);
    }

    [Fact]
    public async Task A_user_token_cannot_act_on_another_user()
    {
        var john = await TenantTokens.ForSocialUserAsync(stack, Seeded.John);
        var error = await Assert.ThrowsAsync<ErrorApiException>(() =>
            Get<ManagementApiClient>().WithToken(john.AccessToken!).Users.UnlinkAccountAsync(Seeded.AdaDatabase, "github", "1234567", Ct));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("unowned_resource", error.ApiError.ErrorCode);
    }

    [Fact]
    public async Task LinkAccountAsync_with_a_user_access_token_then_UnlinkAccountAsync()
    {
        var john = await TenantTokens.ForSocialUserAsync(stack, Seeded.John);
        var sms = await TenantTokens.ForSmsUserAsync(stack, Seeded.JohnSmsPhone);
        var management = Get<ManagementApiClient>();

        var linked = await management.Users.LinkAccountAsync(Seeded.John, john.AccessToken!, sms.IdToken!, Ct);
        Assert.Equal(["google-oauth2", "sms"], linked.Select(i => i.Provider));
        Assert.Equal(Seeded.JohnSmsPhone, (string?)linked[1].ProfileData!["phone_number"]);

        var remaining = await management.WithToken(john.AccessToken!).Users.UnlinkAccountAsync(Seeded.John, "sms", "560ebaeef609ee1adaa7c551", Ct);
        Assert.Equal("google-oauth2", Assert.Single(remaining).Provider);
        Assert.Equal(Seeded.JohnSms, (await management.Users.GetAsync(Seeded.JohnSms, cancellationToken: Ct)).UserId);
    }

    [Fact]
    public async Task The_legacy_unlink_endpoint_unlinks_with_an_access_token()
    {
        var john = await TenantTokens.ForSocialUserAsync(stack, Seeded.John);
        var sms = await TenantTokens.ForSmsUserAsync(stack, Seeded.JohnSmsPhone);
        var management = Get<ManagementApiClient>();
        await management.Users.LinkAccountAsync(Seeded.John, john.AccessToken!, sms.IdToken!, Ct);

#pragma warning disable CS0618 // the deprecated endpoint is what is under test
        await Get<AuthenticationApiClient>().UnlinkAsync(new UnlinkUserRequest { AccessToken = john.AccessToken!, UserId = Seeded.JohnSms }, Ct);
#pragma warning restore CS0618
        Assert.Single((await management.Users.GetAsync(Seeded.John, cancellationToken: Ct)).Identities);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_Auth0s_401_access_denied()
    {
        var error = await Assert.ThrowsAsync<ErrorApiException>(() => Get<AuthenticationApiClient>().GetTokenAsync(new ClientCredentialsTokenRequest
        {
            ClientId = LocalTenantFixture.ClientId, ClientSecret = "wrong", Audience = stack.ManagementAudience,
        }, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(("access_denied", "Unauthorized"), (error.ApiError.Error, error.ApiError.Message));
    }

    [Fact]
    public async Task The_server_token_is_minted_once_for_fifty_concurrent_callers()
    {
        var cache = ActivatorUtilities.CreateInstance<ManagementTokenCache>(stack.App.Services.CreateScope().ServiceProvider);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => cache.GetTokenAsync(Ct), Ct)));
        Assert.Equal(1, cache.MintCount);
        Assert.Single(tokens.Distinct());
        Assert.Equal("client-credentials", Jwt.Parse(tokens[0]).Claim("gty"));
    }

    [Fact]
    public async Task A_server_token_near_its_renewal_still_serves_while_a_new_one_is_minted_in_the_background()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = ActivatorUtilities.CreateInstance<ManagementTokenCache>(stack.App.Services.CreateScope().ServiceProvider, clock);
        var first = await cache.GetTokenAsync(Ct);
        var claims = Jwt.Parse(first);
        var lifetime = TimeSpan.FromSeconds(long.Parse(claims.Claim("exp")!) - long.Parse(claims.Claim("iat")!));
        // Past four fifths of the way to its renewal (a minute before expiry), short of the renewal itself.
        clock.Advance((lifetime - TimeSpan.FromMinutes(1)) * 0.9);

        Assert.Equal(first, await cache.GetTokenAsync(Ct)); // answered at once, with the token in hand
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (cache.MintCount < 2 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20, Ct);
        Assert.Equal(2, cache.MintCount);
        await cache.GetTokenAsync(Ct); // the renewed token is fresh: no third mint
        Assert.Equal(2, cache.MintCount);
    }

    [Fact]
    public async Task A_tenant_that_never_answers_surfaces_as_TenantUnavailableException()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections, never answers
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("ll-silent-").FullName;
        await using var app = await TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?>(TestApp.PointedAt(new Uri($"http://127.0.0.1:{port}")))
        {
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Auth0:Http:AttemptTimeoutSeconds"] = "1",
            ["Auth0:Http:TotalTimeoutSeconds"] = "2",
        });
        var client = app.Services.CreateScope().ServiceProvider.GetRequiredService<AuthenticationApiClient>();
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<TenantUnavailableException>(() => client.GetTokenAsync(new ClientCredentialsTokenRequest
        {
            ClientId = LocalTenantFixture.ClientId, ClientSecret = LocalTenantFixture.ClientSecret, Audience = stack.ManagementAudience,
        }, Ct));
        Assert.Contains("did not answer", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }
}
