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
    public async Task A_code_redeemed_without_the_right_PKCE_verifier_is_403_invalid_grant(string verifier)
    {
        var request = _session.Request();
        var step = await _session.ContinueAsAsync(request, Seeded.John);

        // An empty code_verifier is how a form says "absent".
        var sent = verifier == "missing" ? "" : AuthorizeRequest.Random() + AuthorizeRequest.Random();
        var tokens = await _session.Tokens.RedeemCodeAsync(step.Code!, request, codeVerifier: sent);
        AssertError(tokens, HttpStatusCode.Forbidden, "invalid_grant", "Failed to verify code verifier");
    }

    [Fact]
    public async Task A_code_redeemed_twice_is_Auth0s_403_invalid_authorization_code()
    {
        var request = _session.Request();
        var step = await _session.ContinueAsAsync(request, Seeded.John);

        Assert.NotNull((await _session.Tokens.RedeemCodeAsync(step.Code!, request)).AccessToken);
        var second = await _session.Tokens.RedeemCodeAsync(step.Code!, request);
        AssertError(second, HttpStatusCode.Forbidden, "invalid_grant", "Invalid authorization code");
    }

    [Fact]
    public async Task A_wrong_client_secret_is_Auth0s_401_access_denied_without_a_challenge()
    {
        var request = _session.Request();
        var step = await _session.ContinueAsAsync(request, Seeded.John);

        var tokens = await _session.Tokens.RedeemCodeAsync(step.Code!, request, clientSecret: "not-the-secret");
        AssertError(tokens, HttpStatusCode.Unauthorized, "access_denied", "Unauthorized");
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
        Assert.Equal((HttpStatusCode.Forbidden, "invalid_grant"), (wider.Status, wider.Error));
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
    public async Task Client_credentials_gives_the_apps_client_only_the_Management_API_scopes_the_app_uses()
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
    public async Task The_tests_admin_client_alone_holds_the_admin_scopes()
    {
        var tokens = await _session.Tokens.ClientCredentialsAsync(
            tenant.ManagementAudience, LocalTenantFixture.AdminClientId, LocalTenantFixture.AdminClientSecret);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("read:users update:users create:users delete:users read:logs read:tenant_settings update:tenant_settings", tokens.Scope);
        Assert.Equal(LocalTenantFixture.AdminClientId, Jwt.Parse(tokens.AccessToken!).Claim("azp"));
        // Client credentials only: it cannot sign anybody in.
        var login = await _session.Tokens.PostAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = LocalTenantFixture.AdminClientId,
            ["client_secret"] = LocalTenantFixture.AdminClientSecret, ["code"] = "any", ["redirect_uri"] = LocalTenantFixture.RedirectUri,
        });
        Assert.NotEqual(HttpStatusCode.OK, login.Status);
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
    public async Task Client_credentials_with_a_wrong_secret_or_an_unknown_client_is_401_access_denied()
    {
        var wrongSecret = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience, clientSecret: "wrong");
        var unknownClient = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience, clientId: "no-such-client");

        AssertError(wrongSecret, HttpStatusCode.Unauthorized, "access_denied", "Unauthorized");
        AssertError(unknownClient, HttpStatusCode.Unauthorized, "access_denied", "Unauthorized");
    }

    [Fact]
    public async Task An_unknown_or_spent_refresh_token_is_Auth0s_403_unknown_or_invalid_refresh_token()
    {
        var tokens = await _session.Tokens.RefreshAsync("not-a-refresh-token-of-this-tenant");

        AssertError(tokens, HttpStatusCode.Forbidden, "invalid_grant", "Unknown or invalid refresh token.");
    }

    [Theory]
    [InlineData("password", HttpStatusCode.Forbidden, "unauthorized_client", "Grant type 'password' not allowed for the client.")]
    [InlineData("made-up", HttpStatusCode.BadRequest, "unsupported_grant_type", "Unsupported grant type: made-up")]
    public async Task A_grant_the_tenant_does_not_offer_is_answered_as_Auth0_does(
        string grant, HttpStatusCode status, string error, string description)
    {
        var tokens = await _session.Tokens.PostAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = grant, ["client_id"] = LocalTenantFixture.ClientId, ["client_secret"] = LocalTenantFixture.ClientSecret,
            ["username"] = Seeded.AdaEmail, ["password"] = Seeded.AdaPassword,
        });

        AssertError(tokens, status, error, description);
    }

    [Fact]
    public async Task Access_and_id_tokens_are_typed_JWT_and_carry_none_of_OpenIddicts_claims()
    {
        var request = _session.Request(r => r with { Audience = tenant.ManagementAudience, Scope = "openid profile offline_access read:current_user" });
        var login = await _session.ContinueAsAndRedeemAsync(request, Seeded.John);
        var refreshed = await _session.Tokens.RefreshAsync(login.RefreshToken!);
        var machine = await _session.Tokens.ClientCredentialsAsync(tenant.ManagementAudience);

        foreach (var token in new[] { login.AccessToken, login.IdToken, refreshed.AccessToken, refreshed.IdToken, machine.AccessToken })
        {
            var jwt = Jwt.Parse(token!);
            Assert.Equal("JWT", jwt.Header.GetProperty("typ").GetString());
            var names = jwt.Payload.EnumerateObject().Select(p => p.Name).ToList();
            Assert.DoesNotContain(names, name => name.StartsWith("oi_", StringComparison.Ordinal));
        }
        // Auth0's default access token profile: azp names the client; client_id and jti belong to its RFC 9068 profile.
        foreach (var token in new[] { login.AccessToken, refreshed.AccessToken, machine.AccessToken })
        {
            var names = Jwt.Parse(token!).Payload.EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.Subset(new HashSet<string> { "iss", "sub", "aud", "iat", "exp", "azp", "scope", "gty" }, names);
        }
        Assert.Equal("client-credentials", Jwt.Parse(machine.AccessToken!).Claim("gty"));
    }

    // The seeded app client's Management API grant (localtenant.json).
    /// <summary>The seeded app client's grant: what the app calls (users, identities, logs) and nothing more.</summary>
    private const string GrantedScopes = "read:users update:users read:logs";

    /// <summary>Auth0's token errors: <c>{error, error_description}</c> only (no <c>error_uri</c>), and no <c>WWW-Authenticate</c>.</summary>
    private static void AssertError(TokenResponse tokens, HttpStatusCode status, string error, string? description = null)
    {
        Assert.True(tokens.Status == status && tokens.Error == error, $"expected {(int)status} {error}, got {tokens}");
        if (description is not null) Assert.Equal(description, tokens.ErrorDescription);
        Assert.False(tokens.Json.TryGetProperty("error_uri", out _), $"Auth0 sends no error_uri: {tokens}");
        Assert.Equal("", tokens.Challenge);
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
