using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>A tenant whose API says access tokens live two minutes.</summary>
public sealed class TwoMinuteTokensTenant() : LocalTenantFixture([new("LocalTenant:AccessTokenLifetimeSeconds", "120")]);

/// <summary><c>LocalTenant:AccessTokenLifetimeSeconds</c>: Auth0's per-API "Token Expiration".</summary>
public sealed class AccessTokenLifetimeTests(TwoMinuteTokensTenant tenant) : IClassFixture<TwoMinuteTokensTenant>
{
    private readonly TenantSession _session = new(tenant);

    [Fact]
    public async Task Every_access_token_lives_the_configured_time_and_ID_tokens_keep_theirs()
    {
        var request = _session.Request(r => r with { Scope = "openid profile email offline_access read:current_user", Audience = tenant.ManagementAudience });
        var login = await _session.ContinueAsAndRedeemAsync(request, Seeded.John);
        var refreshed = await _session.Tokens.RefreshAsync(login.RefreshToken!);
        var server = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience);

        foreach (var tokens in new[] { login, refreshed, server })
        {
            Assert.Equal(HttpStatusCode.OK, tokens.Status);
            // OpenIddict counts expires_in from the token's whole-second exp, so it may read a second less.
            Assert.InRange(tokens.Json.GetProperty("expires_in").GetInt32(), 119, 120);
            var access = Jwt.Parse(tokens.AccessToken!);
            Assert.Equal(120, long.Parse(access.Claim("exp")!) - long.Parse(access.Claim("iat")!));
        }
        var idToken = Jwt.Parse(refreshed.IdToken!);
        Assert.Equal(10 * 3600, long.Parse(idToken.Claim("exp")!) - long.Parse(idToken.Claim("iat")!));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2592001")]
    [InlineData("1h")]
    public async Task A_malformed_lifetime_stops_the_start_naming_the_key(string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LocalTenantFixture.StartAsync([new("LocalTenant:AccessTokenLifetimeSeconds", value)]));
        Assert.Equal($"LocalTenant:AccessTokenLifetimeSeconds must be a whole number of seconds from 1 to 2592000; got '{value}'.", error.Message);
    }
}
