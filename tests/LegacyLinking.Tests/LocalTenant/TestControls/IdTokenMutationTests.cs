using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary>
/// <c>POST /test/next {"mutation"}</c>: the next code redemption's ID token has exactly the named defect. Each test signs
/// in twice in one browser with the same nonce: the first token is the control, the second the mutated one.
/// </summary>
public sealed class IdTokenMutationTests(TestControlsTenantFixture tenant) : TestControlsTestBase(tenant)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string WrongAudience = "another-client-of-this-tenant";

    public static TheoryData<string> ClaimMutations =>
    [
        "aud", "aud-extra", "azp-wrong", "iss", "iss-no-slash", "exp", "exp-missing", "nbf-future", "iat-missing",
        "sub-missing", "nonce", "nonce-missing", "email_verified-string", "auth_time-old",
        "auth_time-missing",
    ];

    [Theory]
    [MemberData(nameof(ClaimMutations))]
    public async Task A_claim_mutation_changes_only_that_claim_and_keeps_a_valid_tenant_signature(string mutation)
    {
        var (control, mutated, request) = await RedeemControlAndMutatedAsync(mutation);
        var before = Payload(control.IdToken!);
        var after = Payload(mutated.IdToken!);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var changed = mutation switch
        {
            "aud" => Expect(after, "aud", v => v!.GetValue<string>() == WrongAudience),
            "aud-extra" => Expect(after, "aud", v => JsonNode.DeepEquals(v, new JsonArray(LocalTenantFixture.ClientId, "https://untrusted.example/"))),
            "azp-wrong" => Expect(after, "azp", v => v!.GetValue<string>() == WrongAudience),
            "iss" => Expect(after, "iss", v => v!.GetValue<string>() == "https://another-tenant.eu.auth0.com/"),
            "iss-no-slash" => Expect(after, "iss", v => v!.GetValue<string>() == Tenant.Url),
            "exp" => Expect(after, "exp", v => v!.GetValue<long>() < now),
            "nbf-future" => Expect(after, "nbf", v => v!.GetValue<long>() > now),
            "nonce" => Expect(after, "nonce", v => v!.GetValue<string>() is var n && n != request.Nonce && n.Length > 0),
            "email_verified-string" => Expect(after, "email_verified", v => v!.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "true"),
            "auth_time-old" => Expect(after, "auth_time", v => v!.GetValue<long>() < now - 86_400),
            "exp-missing" or "iat-missing" or "sub-missing" or "nonce-missing" => ExpectAbsent(after, mutation[..mutation.IndexOf('-')]),
            "auth_time-missing" => ExpectAbsent(after, "auth_time"),
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };

        AssertSameExcept(before, after, changed);
        Assert.Equal(Header(control.IdToken!).ToJsonString(), Header(mutated.IdToken!).ToJsonString());
        Assert.True(await SignatureIsValidAsync(mutated.IdToken!), "re-signed with the tenant's key");
        Assert.True(await SignatureIsValidAsync(mutated.AccessToken!), "the access token is untouched");
        if (mutation is "aud" or "iss" or "iss-no-slash" or "exp")
            Assert.False((await ValidateAsync(mutated.IdToken!, full: true)).IsValid, "standard validation must refuse it");
    }

    [Theory]
    [InlineData("sig")]
    [InlineData("kid")]
    [InlineData("none")]
    [InlineData("hs256")]
    [InlineData("kid-missing-stranger")]
    public async Task A_signature_mutation_keeps_the_claims_and_fails_validation_against_the_JWKS(string mutation)
    {
        var (control, mutated, _) = await RedeemControlAndMutatedAsync(mutation);
        var header = Header(mutated.IdToken!);
        var controlHeader = Header(control.IdToken!);
        var signature = mutated.IdToken!.Split('.')[2];

        AssertSameExcept(Payload(control.IdToken!), Payload(mutated.IdToken!), changed: null);
        Assert.False((await ValidateAsync(mutated.IdToken!, full: false)).IsValid, "no key of the JWKS may verify it");
        Assert.False((await ValidateAsync(mutated.IdToken!, full: true)).IsValid);
        switch (mutation)
        {
            case "sig":
                Assert.Equal(controlHeader.ToJsonString(), header.ToJsonString());
                Assert.NotEqual(control.IdToken!.Split('.')[2], signature);
                break;
            case "kid":
                Assert.Equal("RS256", header["alg"]!.GetValue<string>());
                Assert.DoesNotContain(header["kid"]!.GetValue<string>(), await JwksKidsAsync());
                break;
            case "kid-missing-stranger":
                Assert.Equal("RS256", header["alg"]!.GetValue<string>());
                Assert.Null(header["kid"]);
                break;
            case "none":
                Assert.Equal("none", header["alg"]!.GetValue<string>());
                Assert.Equal("", signature);
                break;
            case "hs256":
                Assert.Equal("HS256", header["alg"]!.GetValue<string>());
                Assert.Equal(await HmacWithJwksPublicKeyAsync(mutated.IdToken!), signature);
                break;
        }
    }

    [Fact]
    public async Task Kid_missing_is_the_positive_control_a_single_key_JWKS_still_verifies()
    {
        var (_, mutated, _) = await RedeemControlAndMutatedAsync("kid-missing");

        Assert.Null(Header(mutated.IdToken!)["kid"]);
        Assert.True((await ValidateAsync(mutated.IdToken!, full: true)).IsValid);
    }

    [Fact]
    public async Task Count_mutates_that_many_code_redemptions_and_refresh_responses_are_left_alone()
    {
        var session = new TenantSession(Tenant);
        var request = session.Request(r => r with { Scope = "openid profile email offline_access" });
        var first = await session.ContinueAsAndRedeemAsync(request, Seeded.John);
        await Tenant.Controls.MutateNextIdTokenAsync("aud", count: 2);

        var refreshed = await session.Tokens.RefreshAsync(first.RefreshToken!);
        var second = await RedeemAgainAsync(session, request);
        var third = await RedeemAgainAsync(session, request);
        var fourth = await RedeemAgainAsync(session, request);

        Assert.Equal(LocalTenantFixture.ClientId, Payload(refreshed.IdToken!)["aud"]!.GetValue<string>());
        Assert.Equal(WrongAudience, Payload(second.IdToken!)["aud"]!.GetValue<string>());
        Assert.Equal(WrongAudience, Payload(third.IdToken!)["aud"]!.GetValue<string>());
        Assert.Equal(LocalTenantFixture.ClientId, Payload(fourth.IdToken!)["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task Aliases_from_the_RP_test_names_are_accepted_and_unknown_names_are_a_400()
    {
        using var client = Tenant.CreateClient();
        using var alias = await client.PostAsJsonAsync("/test/next", new { mutation = "idts" }, Ct);
        using var unknown = await client.PostAsJsonAsync("/test/next", new { mutation = "teleport" }, Ct);

        Assert.Equal(HttpStatusCode.Created, alias.StatusCode);
        Assert.Equal("sig", (await alias.Content.ReadFromJsonAsync<JsonElement>(Ct))[0].GetProperty("mutation").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("email_verified-string", await unknown.Content.ReadAsStringAsync(Ct));
    }

    private async Task<(TokenResponse Control, TokenResponse Mutated, AuthorizeRequest Request)> RedeemControlAndMutatedAsync(string mutation)
    {
        var session = new TenantSession(Tenant);
        var request = session.Request();
        var control = await session.ContinueAsAndRedeemAsync(request, Seeded.John);
        await Tenant.Controls.MutateNextIdTokenAsync(mutation);
        return (control, await RedeemAgainAsync(session, request), request);
    }

    /// <summary>A second authorization in the same browser (the session answers) with the same nonce.</summary>
    private static async Task<TokenResponse> RedeemAgainAsync(TenantSession session, AuthorizeRequest request)
    {
        var again = request with { State = AuthorizeRequest.Random(), CodeVerifier = AuthorizeRequest.Random() + AuthorizeRequest.Random() };
        var step = await session.Driver.OpenAsync(again.ToUri());
        Assert.True(step.Code is not null, $"the session should answer at once: {step}");
        return await session.RedeemAsync(again, step);
    }

    private static string Expect(JsonObject payload, string claim, Func<JsonNode?, bool> check)
    {
        Assert.True(payload.ContainsKey(claim) && check(payload[claim]), $"{claim} = {payload[claim]?.ToJsonString() ?? "(absent)"}");
        return claim;
    }

    private static string ExpectAbsent(JsonObject payload, string claim)
    {
        Assert.False(payload.ContainsKey(claim), $"{claim} should be gone");
        return claim;
    }

    /// <summary>Claims that differ between any two issuances (identifiers, hashes of the other tokens): compared by presence.</summary>
    private static readonly HashSet<string> PerIssuance = ["jti", "oi_au_id", "oi_tkn_id", "at_hash", "c_hash"];

    /// <summary>Every claim but <paramref name="changed"/> is as in the control (iat/exp within a few seconds of it).</summary>
    private static void AssertSameExcept(JsonObject before, JsonObject after, string? changed)
    {
        var names = before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(n => n != changed);
        foreach (var name in names)
        {
            Assert.True(before.ContainsKey(name) && after.ContainsKey(name), $"{name} is in only one of the tokens");
            if (PerIssuance.Contains(name)) continue;
            if (name is "iat" or "exp")
                Assert.InRange(after[name]!.GetValue<long>() - before[name]!.GetValue<long>(), -5, 5);
            else
                Assert.True(JsonNode.DeepEquals(before[name], after[name]), $"{name}: {before[name]?.ToJsonString()} → {after[name]?.ToJsonString()}");
        }
    }

    private async Task<bool> SignatureIsValidAsync(string token) => (await ValidateAsync(token, full: false)).IsValid;

    /// <summary>Standard validation against the tenant's JWKS: signature only, or also issuer, audience and lifetime.</summary>
    private async Task<TokenValidationResult> ValidateAsync(string token, bool full)
    {
        var jwks = new JsonWebKeySet(await GetStringAsync("/.well-known/jwks.json"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = Tenant.Issuer,
            ValidAudience = LocalTenantFixture.ClientId,
            ValidateIssuer = full,
            ValidateAudience = full,
            ValidateLifetime = full,
            RequireExpirationTime = full,
        });
    }

    private async Task<IReadOnlyList<string>> JwksKidsAsync()
    {
        var jwks = JsonNode.Parse(await GetStringAsync("/.well-known/jwks.json"))!;
        return [.. jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>())];
    }

    /// <summary>The key-confusion signature: HMAC-SHA256 over the signing input, keyed with the JWKS key's public PEM.</summary>
    private async Task<string> HmacWithJwksPublicKeyAsync(string token)
    {
        var key = new JsonWebKeySet(await GetStringAsync("/.well-known/jwks.json")).Keys.Single();
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(key.N), Exponent = Base64UrlEncoder.DecodeBytes(key.E) });
        var input = token[..token.LastIndexOf('.')];
        return Base64UrlEncoder.Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()), Encoding.ASCII.GetBytes(input)));
    }

    private async Task<string> GetStringAsync(string path)
    {
        using var client = Tenant.CreateClient();
        return await client.GetStringAsync(path, Ct);
    }

    private static JsonObject Header(string token) => Part(token, 0);
    private static JsonObject Payload(string token) => Part(token, 1);
    private static JsonObject Part(string token, int index) => JsonNode.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[index]))!.AsObject();
}
