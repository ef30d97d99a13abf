using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>What the tenant's tokens say, and the rules of /oauth/token (PKCE, single-use codes, client auth, grants).</summary>
public sealed class TokenTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    private readonly TenantSession _session = new(tenant);

    [Fact]
    public async Task Discovery_names_the_issuer_with_a_trailing_slash_and_Auth0_paths()
    {
        var json = await _session.GetJsonAsync("/.well-known/openid-configuration");

        Assert.Equal(tenant.Url + "/", json.GetProperty("issuer").GetString());
        Assert.Equal(tenant.Url + "/authorize", json.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(tenant.Url + "/oauth/token", json.GetProperty("token_endpoint").GetString());
        Assert.Equal(tenant.Url + "/userinfo", json.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(tenant.Url + "/.well-known/jwks.json", json.GetProperty("jwks_uri").GetString());
        Assert.Equal(tenant.Url + "/v2/logout", json.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["S256"], json.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Id_token_is_RS256_signed_by_the_published_key_and_carries_Auth0_claims()
    {
        var request = _session.Request();
        var tokens = await _session.ContinueAsAndRedeemAsync(request, Seeded.John);
        var idToken = Jwt.Parse(tokens.IdToken!);

        var jwks = await _session.GetJsonAsync("/.well-known/jwks.json");
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal("RS256", idToken.Header.GetProperty("alg").GetString());
        Assert.Contains(idToken.Header.GetProperty("kid").GetString(), kids);
        Assert.True(await SignatureIsValidAsync(tokens.IdToken!), "the ID token must verify against the JWKS");

        var claims = idToken.Payload;
        Assert.Equal(tenant.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(Seeded.John, claims.GetProperty("sub").GetString());
        Assert.Equal(LocalTenantFixture.ClientId, Audiences(claims).Single());
        Assert.Equal(LocalTenantFixture.ClientId, claims.GetProperty("azp").GetString());
        Assert.Equal(request.Nonce, claims.GetProperty("nonce").GetString());
        Assert.Equal("johndoe@gmail.com", claims.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.True, claims.GetProperty("email_verified").ValueKind);
        Assert.Equal("John Doe", claims.GetProperty("name").GetString());
        Assert.Equal("johndoe", claims.GetProperty("nickname").GetString());
        Assert.StartsWith("https://", claims.GetProperty("picture").GetString());
        Assert.True(DateTimeOffset.TryParse(claims.GetProperty("updated_at").GetString(), out _), "updated_at is an ISO-8601 string");
        Assert.Equal(JsonValueKind.Number, claims.GetProperty("auth_time").ValueKind);
        Assert.Equal(JsonValueKind.Number, claims.GetProperty("iat").ValueKind);
        Assert.Equal(JsonValueKind.Number, claims.GetProperty("exp").ValueKind);
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("sid").GetString()));
        Assert.False(claims.TryGetProperty("https://legacylinking.dev/groups", out _), "John has no groups");
    }

    [Fact]
    public async Task Groups_from_app_metadata_become_a_namespaced_array_claim()
    {
        var request = _session.Request();
        var step = await _session.Driver.LoginWithPasswordAsync(request.ToUri(), Seeded.QaEmail, Seeded.QaPassword);
        var tokens = await _session.RedeemAsync(request, step);

        var claims = Jwt.Parse(tokens.IdToken!).Payload;
        Assert.Equal(Seeded.Qa, claims.GetProperty("sub").GetString());
        var groups = claims.GetProperty("https://legacylinking.dev/groups");
        Assert.Equal(JsonValueKind.Array, groups.ValueKind);
        Assert.Equal(["qa"], groups.EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task Access_token_for_the_Management_API_has_both_audiences_azp_and_the_granted_scopes()
    {
        var request = _session.Request(r => r with
        {
            Audience = tenant.ManagementAudience,
            Scope = "openid profile email read:current_user update:current_user_identities update:users made:up",
        });
        var tokens = await _session.ContinueAsAndRedeemAsync(request, Seeded.John);
        var access = Jwt.Parse(tokens.AccessToken!);

        Assert.Equal("RS256", access.Header.GetProperty("alg").GetString());
        Assert.Equal([tenant.ManagementAudience, tenant.Url + "/userinfo"], Audiences(access.Payload));
        Assert.Equal(LocalTenantFixture.ClientId, access.Claim("azp"));
        Assert.Equal(Seeded.John, access.Claim("sub"));
        Assert.Equal(tenant.Issuer, access.Claim("iss"));
        Assert.Equal(
            ["openid", "profile", "email", "read:current_user", "update:current_user_identities"],
            access.Claim("scope")!.Split(' '));
        Assert.True(await SignatureIsValidAsync(tokens.AccessToken!), "the access token must verify against the JWKS");
    }

    [Fact]
    public async Task Access_token_without_an_audience_is_only_for_userinfo()
    {
        var request = _session.Request(r => r with { Scope = "openid profile read:current_user" });
        var access = Jwt.Parse((await _session.ContinueAsAndRedeemAsync(request, Seeded.John)).AccessToken!);

        Assert.Equal([tenant.Url + "/userinfo"], Audiences(access.Payload));
        Assert.Equal("openid profile", access.Claim("scope"));
    }

    [Fact]
    public async Task An_unknown_audience_is_refused_at_authorize()
    {
        var request = _session.Request(r => r with { Audience = "https://api.example.com/" });
        var step = await _session.Driver.OpenAsync(request.ToUri());

        Assert.Equal("access_denied", step.Error);
        Assert.Equal("Service not found: https://api.example.com/", step.Parameters["error_description"]);
        Assert.Equal(request.State, step.State);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong")]
    public async Task A_code_redeemed_without_the_right_PKCE_verifier_is_invalid_grant(string verifier)
    {
        var request = _session.Request();
        var step = await _session.ContinueAsAsync(request, Seeded.John);

        // An empty code_verifier is how a form says "absent".
        var sent = verifier == "missing" ? "" : AuthorizeRequest.Random() + AuthorizeRequest.Random();
        var tokens = await _session.Tokens.RedeemCodeAsync(step.Code!, request, codeVerifier: sent);
        AssertError(tokens, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_code_redeemed_twice_fails_the_second_time()
    {
        var request = _session.Request();
        var step = await _session.ContinueAsAsync(request, Seeded.John);

        Assert.NotNull((await _session.Tokens.RedeemCodeAsync(step.Code!, request)).AccessToken);
        var second = await _session.Tokens.RedeemCodeAsync(step.Code!, request);
        AssertError(second, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_wrong_client_secret_is_invalid_client_with_401()
    {
        var request = _session.Request();
        var step = await _session.ContinueAsAsync(request, Seeded.John);

        var tokens = await _session.Tokens.RedeemCodeAsync(step.Code!, request, clientSecret: "not-the-secret");
        AssertError(tokens, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Refresh_token_grant_issues_new_tokens_for_the_same_user()
    {
        var request = _session.Request(r => r with { Scope = "openid profile email offline_access" });
        var first = await _session.ContinueAsAndRedeemAsync(request, Seeded.John);
        Assert.NotNull(first.RefreshToken);

        var refreshed = await _session.Tokens.RefreshAsync(first.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(Seeded.John, Jwt.Parse(refreshed.AccessToken!).Claim("sub"));
        Assert.Equal(Seeded.John, Jwt.Parse(refreshed.IdToken!).Claim("sub"));
        Assert.Equal("johndoe@gmail.com", Jwt.Parse(refreshed.IdToken!).Claim("email"));
    }

    [Fact]
    public async Task A_refresh_may_ask_for_fewer_scopes_and_the_refresh_token_stays_valid()
    {
        var request = _session.Request(r => r with { Scope = "openid profile email offline_access read:current_user update:current_user_identities", Audience = tenant.ManagementAudience });
        var first = await _session.ContinueAsAndRedeemAsync(request, Seeded.John);
        Assert.Contains("update:current_user_identities", Jwt.Parse(first.AccessToken!).Claim("scope"));

        var narrowed = await _session.Tokens.RefreshAsync(first.RefreshToken!, scope: "openid");
        Assert.Equal(HttpStatusCode.OK, narrowed.Status);
        var token = Jwt.Parse(narrowed.AccessToken!);
        Assert.Equal(("openid", Seeded.John), (token.Claim("scope"), token.Claim("sub")));
        // Auth0's refresh tokens do not rotate unless the application turns rotation on: no new one, the old one still works.
        Assert.Null(narrowed.RefreshToken);
        var again = await _session.Tokens.RefreshAsync(first.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("update:current_user_identities", Jwt.Parse(again.AccessToken!).Claim("scope"));

        // Never more than the user consented to at login.
        var wider = await _session.Tokens.RefreshAsync(first.RefreshToken!, scope: "openid read:users");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (wider.Status, wider.Error));
    }

    [Fact]
    public async Task Userinfo_returns_the_profile_for_the_access_token()
    {
        var tokens = await _session.ContinueAsAndRedeemAsync(_session.Request(), Seeded.John);

        var (status, body) = await _session.Tokens.UserInfoAsync(tokens.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Seeded.John, body.GetProperty("sub").GetString());
        Assert.Equal("John Doe", body.GetProperty("name").GetString());
        Assert.Equal("johndoe@gmail.com", body.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.True, body.GetProperty("email_verified").ValueKind);

        var (badStatus, _) = await _session.Tokens.UserInfoAsync(tokens.AccessToken! + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, badStatus);
    }

    [Fact]
    public async Task Client_credentials_gives_the_configured_Management_API_scopes()
    {
        var tokens = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("Bearer", tokens.Text("token_type"));
        // 24 h, as Auth0; OpenIddict counts from the token's whole-second exp, so it may read a second less.
        Assert.InRange(tokens.Json.GetProperty("expires_in").GetInt32(), 86399, 86400);
        Assert.Equal(GrantedScopes, tokens.Scope);
        var access = Jwt.Parse(tokens.AccessToken!);
        Assert.Equal($"{LocalTenantFixture.ClientId}@clients", access.Claim("sub"));
        Assert.Equal("client-credentials", access.Claim("gty"));
        Assert.Equal(LocalTenantFixture.ClientId, access.Claim("azp"));
        Assert.Equal(GrantedScopes, access.Claim("scope"));
        Assert.Equal([tenant.ManagementAudience], Audiences(access.Payload));
    }

    [Fact]
    public async Task Client_credentials_accepts_a_JSON_body_as_Auth0_does()
    {
        var tokens = await _session.Tokens.PostJsonAsync(new
        {
            grant_type = "client_credentials",
            client_id = LocalTenantFixture.ClientId,
            client_secret = LocalTenantFixture.ClientSecret,
            audience = tenant.ManagementAudience,
        });
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens.AccessToken);
    }

    [Theory]
    [InlineData(null, "No audience parameter was provided")]
    [InlineData("https://api.example.com/", "Service not found: https://api.example.com/")]
    public async Task Client_credentials_without_a_known_audience_is_403_access_denied(string? audience, string description)
    {
        var tokens = await _session.Tokens.ClientCredentialsAsync(audience);

        AssertError(tokens, HttpStatusCode.Forbidden, "access_denied");
        Assert.StartsWith(description, tokens.ErrorDescription);
    }

    [Fact]
    public async Task Client_credentials_for_scopes_not_granted_is_403()
    {
        var tokens = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience, scope: "read:users read:clients");

        AssertError(tokens, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("read:clients", tokens.ErrorDescription);
    }

    [Fact]
    public async Task Client_credentials_with_a_wrong_secret_is_401_invalid_client()
    {
        var tokens = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience, clientSecret: "wrong");

        AssertError(tokens, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // The seeded app client's Management API grant (localtenant.json).
    private const string GrantedScopes = "read:users update:users create:users delete:users read:logs read:tenant_settings update:tenant_settings";

    private static void AssertError(TokenResponse tokens, HttpStatusCode status, string error)
    {
        Assert.True(tokens.Status == status && tokens.Error == error, $"expected {(int)status} {error}, got {tokens}");
    }

    private static List<string?> Audiences(JsonElement claims)
    {
        var aud = claims.GetProperty("aud");
        return aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.GetString()).ToList() : [aud.GetString()];
    }

    private async Task<bool> SignatureIsValidAsync(string token)
    {
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet((await _session.GetJsonAsync("/.well-known/jwks.json")).GetRawText());
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(token,
            new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                ValidIssuer = tenant.Issuer,
                ValidateAudience = false,
                IssuerSigningKeys = jwks.GetSigningKeys(),
            });
        return result.IsValid;
    }
}
