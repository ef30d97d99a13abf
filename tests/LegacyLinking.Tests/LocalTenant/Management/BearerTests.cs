using System.Net;
using System.Net.Http.Headers;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>Who may call the Management API: bearer validation (401), scopes (403), current_user tokens on other users (403).</summary>
public sealed class BearerTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;
    private static readonly string John = TenantApi.UserPath(Seeded.John);

    /// <summary>Every route with the scopes Auth0 lists in its 403 for it.</summary>
    public static TheoryData<string, string, string> Routes => new()
    {
        { "GET", John, "read:users,read:current_user" },
        { "PATCH", John, "update:users,update:users_app_metadata,update:current_user_metadata,create:current_user_metadata" },
        { "DELETE", John, "delete:users" },
        { "POST", "users", "create:users" },
        { "GET", "users-by-email?email=johndoe@gmail.com", "read:users" },
        { "GET", "users?q=email_verified:true", "read:users" },
        { "POST", TenantApi.UserPath(Seeded.John, "/identities"), "update:users,update:current_user_identities" },
        { "DELETE", TenantApi.UserPath(Seeded.John, "/identities/sms/560ebaeef609ee1adaa7c551"), "update:users,update:current_user_identities" },
        { "GET", "tenants/settings", "read:tenant_settings" },
        { "PATCH", "tenants/settings", "update:tenant_settings" },
        { "GET", "logs", "read:logs" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_without_a_bearer_is_401_missing_authentication(string method, string path, string _)
    {
        var reply = await _api.SendAsync(new HttpMethod(method), path, bearer: null, Body(method));
        reply.IsError(HttpStatusCode.Unauthorized, "Missing authentication", null);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_with_a_token_lacking_its_scope_is_403_naming_the_expected_scopes(string method, string path, string expected)
    {
        var token = tenant.Forge.AccessToken($"{LocalTenantFixture.ClientId}@clients", "read:clients read:roles");
        var reply = await _api.SendAsync(new HttpMethod(method), path, token, Body(method));
        reply.IsError(HttpStatusCode.Forbidden, $"Insufficient scope, expected any of: {expected}", "insufficient_scope");
    }

    [Fact]
    public async Task A_real_client_credentials_token_limited_to_one_scope_is_refused_elsewhere()
    {
        var readOnly = await tenant.Bearers.ClientCredentialsAsync("read:users");
        (await _api.GetAsync(John, readOnly)).IsSuccess();
        (await _api.DeleteAsync(John, readOnly)).IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: delete:users", "insufficient_scope");
        (await _api.GetAsync("logs", readOnly)).IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: read:logs", "insufficient_scope");
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Token abc")]
    public async Task A_malformed_authorization_header_is_400(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_api.Base, John));
        request.Headers.TryAddWithoutValidation("Authorization", header);
        (await _api.SendAsync(request)).IsError(HttpStatusCode.BadRequest, "Bad HTTP authentication header format", null);
    }

    [Fact]
    public async Task Garbage_is_an_invalid_token() =>
        (await _api.GetAsync(John, "not-a-jwt")).IsError(HttpStatusCode.Unauthorized, "Invalid token.", "invalid_token");

    [Fact]
    public async Task A_token_signed_with_another_key_has_an_invalid_signature()
    {
        var forged = tenant.Forge.AccessToken(Seeded.John, "read:users", key: tenant.Forge.ForeignKey());
        (await _api.GetAsync(John, forged))
            .IsError(HttpStatusCode.Unauthorized, "Invalid signature received for JSON Web Token validation.", "invalid_token");
    }

    [Fact]
    public async Task A_tampered_real_token_has_an_invalid_signature()
    {
        var token = await tenant.Bearers.ClientCredentialsAsync("read:users");
        var real = Jwt.Parse(token);
        var parts = token.Split('.');
        var payload = System.Text.Json.JsonSerializer.Serialize(
            real.Payload.EnumerateObject().ToDictionary(p => p.Name, p => p.Name == "scope" ? (object)"read:users delete:users" : p.Value));
        var tampered = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        (await _api.DeleteAsync(John, tampered))
            .IsError(HttpStatusCode.Unauthorized, "Invalid signature received for JSON Web Token validation.", "invalid_token");
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var expired = tenant.Forge.AccessToken(Seeded.John, "read:users", expires: DateTime.UtcNow.AddMinutes(-1));
        (await _api.GetAsync(John, expired))
            .IsError(HttpStatusCode.Unauthorized, "Expired token received for JSON Web Token validation.", "invalid_token");
    }

    [Fact]
    public async Task Unsigned_and_HS256_tokens_are_invalid()
    {
        (await _api.GetAsync(John, tenant.Forge.Unsigned(Seeded.John, "read:users")))
            .IsErrorWithCode(HttpStatusCode.Unauthorized, "invalid_token");
        var hs256 = tenant.Forge.AccessToken(Seeded.John, "read:users", key: TokenForge.SymmetricKey());
        (await _api.GetAsync(John, hs256)).IsErrorWithCode(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_invalid()
    {
        var foreign = tenant.Forge.AccessToken(Seeded.John, "read:users", issuer: "https://evil.example.com/");
        (await _api.GetAsync(John, foreign)).IsError(HttpStatusCode.Unauthorized, "Invalid token.", "invalid_token");
    }

    [Fact]
    public async Task An_access_token_for_another_audience_is_a_bad_audience()
    {
        var userInfoOnly = await tenant.Bearers.SignInAsync(Seeded.John, managementAudience: false);
        (await _api.GetAsync(John, userInfoOnly.AccessToken))
            .IsError(HttpStatusCode.Unauthorized, $"Bad audience: {tenant.Url}/userinfo", "invalid_token");

        var otherApi = tenant.Forge.AccessToken(Seeded.John, "read:users", audiences: ["https://api.example.com/"]);
        (await _api.GetAsync(John, otherApi)).IsError(HttpStatusCode.Unauthorized, "Bad audience: https://api.example.com/", "invalid_token");
    }

    [Fact]
    public async Task An_ID_token_is_a_bad_audience_where_no_flag_allows_it()
    {
        var john = await tenant.Bearers.SignInAsync(Seeded.John);
        (await _api.GetAsync("users-by-email?email=johndoe@gmail.com", john.IdToken))
            .IsError(HttpStatusCode.Unauthorized, $"Bad audience: {LocalTenantFixture.ClientId}", "invalid_token");
    }

    [Fact]
    public async Task A_current_user_token_reads_its_own_user_and_nobody_else()
    {
        var john = await tenant.Bearers.SignInAsync(Seeded.John);
        var own = (await _api.GetAsync(John, john.AccessToken)).IsSuccess();
        Assert.Equal(Seeded.John, own.Json.GetProperty("user_id").GetString());

        const string unowned = "User to be acted on does not match subject in bearer token.";
        var ada = TenantApi.UserPath(Seeded.AdaDatabase);
        (await _api.GetAsync(ada, john.AccessToken)).IsError(HttpStatusCode.Forbidden, unowned, "unowned_resource");
        (await _api.PatchAsync(ada, john.AccessToken, new { user_metadata = new { x = 1 } }))
            .IsError(HttpStatusCode.Forbidden, unowned, "unowned_resource");
        (await _api.PostAsync(TenantApi.UserPath(Seeded.AdaDatabase, "/identities"), john.AccessToken, new { link_with = john.IdToken }))
            .IsError(HttpStatusCode.Forbidden, unowned, "unowned_resource");
        (await _api.DeleteAsync(TenantApi.UserPath(Seeded.AdaDatabase, "/identities/github/1234567"), john.AccessToken))
            .IsError(HttpStatusCode.Forbidden, unowned, "unowned_resource");
    }

    [Fact]
    public async Task A_current_user_token_has_no_admin_scopes()
    {
        var john = await tenant.Bearers.SignInAsync(Seeded.John);
        (await _api.GetAsync("users-by-email?email=johndoe@gmail.com", john.AccessToken))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: read:users", "insufficient_scope");
        (await _api.DeleteAsync(John, john.AccessToken))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: delete:users", "insufficient_scope");
    }

    [Theory]
    [InlineData("GET", "nope")]
    [InlineData("GET", "users/x/y/z")]
    [InlineData("PUT", "users/auth0%7Cabc")]
    [InlineData("POST", "logs")]
    public async Task Unknown_routes_are_404_in_Auth0s_shape(string method, string path)
    {
        var server = await tenant.ServerTokenAsync();
        (await _api.SendAsync(new HttpMethod(method), path, server)).IsError(HttpStatusCode.NotFound, "Not Found", null);
    }

    private static HttpContent? Body(string method) =>
        method is "POST" or "PATCH" ? TenantApi.Json(new { }) : null;
}
