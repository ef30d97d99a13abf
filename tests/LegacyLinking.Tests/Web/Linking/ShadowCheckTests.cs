using System.Security.Cryptography;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Hosting;
using LegacyLinking.Web.Linking;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.Tests.Web.Linking;

public sealed class ShadowCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly ShadowCheck _check = new(
        new Auth0Tenant(Options.Create(new Auth0Options { Domain = "tenant.eu.auth0.com", ClientId = "app", ClientSecret = "s" }), Options.Create(new LocalTenantOptions())),
        new FakeTimeProvider(Now));
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "k1" };

    private static string Token(Dictionary<string, object> claims, string alg = SecurityAlgorithms.RsaSha256) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = Now.AddHours(1).UtcDateTime,
            IssuedAt = Now.AddMinutes(-1).UtcDateTime,
            NotBefore = Now.AddMinutes(-1).UtcDateTime,
            SigningCredentials = alg == SecurityAlgorithms.RsaSha256
                ? new SigningCredentials(Key, alg)
                : new SigningCredentials(new SymmetricSecurityKey(new byte[32]), alg),
        });

    private static string Access(string scope = "openid update:current_user_identities", string sub = "google-oauth2|1", string aud = "https://tenant.eu.auth0.com/api/v2/") =>
        Token(new() { ["sub"] = sub, ["aud"] = aud, ["azp"] = "app", ["scope"] = scope });

    [Fact]
    public void A_proper_access_token_and_secondary_would_succeed() =>
        Assert.Equal(ShadowCheck.WouldSucceed, _check.Evaluate(new PrimaryUser("google-oauth2|1", Access(), "id"), Token(new() { ["sub"] = "sms|2", ["aud"] = "app" }), isLink: true));

    [Theory]
    [InlineData("openid read:current_user", "google-oauth2|1", "https://tenant.eu.auth0.com/api/v2/", "would-fail:scope")]
    [InlineData("openid update:current_user_identities", "google-oauth2|9", "https://tenant.eu.auth0.com/api/v2/", "would-fail:subject")]
    [InlineData("openid update:current_user_identities", "google-oauth2|1", "https://tenant.eu.auth0.com/userinfo", "would-fail:audience")]
    public void A_deficient_access_token_would_fail_with_the_reason(string scope, string sub, string aud, string verdict) =>
        Assert.Equal(verdict, _check.Evaluate(new PrimaryUser("google-oauth2|1", Access(scope, sub, aud), "id")));

    [Fact]
    public void No_access_token_would_fail() =>
        Assert.Equal("would-fail:no-access-token", _check.Evaluate(new PrimaryUser("google-oauth2|1", null, "id")));

    [Fact]
    public void A_secondary_for_another_client_or_not_rs256_would_fail()
    {
        var primary = new PrimaryUser("google-oauth2|1", Access(), "id");
        Assert.Equal("would-fail:secondary-aud", _check.Evaluate(primary, Token(new() { ["sub"] = "sms|2", ["aud"] = "other" }), isLink: true));
        Assert.Equal("would-fail:secondary-alg", _check.Evaluate(primary, Token(new() { ["sub"] = "sms|2", ["aud"] = "app" }, SecurityAlgorithms.HmacSha256), isLink: true));
    }
}
