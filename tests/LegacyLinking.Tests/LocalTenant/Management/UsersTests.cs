using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>GET/PATCH/POST/DELETE <c>/api/v2/users</c>: Auth0's user object, metadata merge rules, creation and deletion.</summary>
public sealed class UsersTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Get_returns_Auth0s_user_object_for_the_seeded_primary()
    {
        var user = (await _api.GetAsync(TenantApi.UserPath(Seeded.John), await Server())).IsSuccess().Json;

        Assert.Equal(Seeded.John, Text(user, "user_id"));
        Assert.Equal("johndoe@gmail.com", Text(user, "email"));
        Assert.Equal(JsonValueKind.True, user.GetProperty("email_verified").ValueKind);
        Assert.Equal(("John Doe", "johndoe", "John", "Doe"),
            (Text(user, "name"), Text(user, "nickname"), Text(user, "given_name"), Text(user, "family_name")));
        Assert.StartsWith("https://", Text(user, "picture"));
        Assert.True(DateTimeOffset.TryParse(Text(user, "created_at"), out _));
        Assert.True(DateTimeOffset.TryParse(Text(user, "updated_at"), out _));
        Assert.Equal("red", user.GetProperty("user_metadata").GetProperty("color").GetString());
        Assert.Equal(["Admin"], user.GetProperty("app_metadata").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var identity = Assert.Single(user.GetProperty("identities").EnumerateArray());
        Assert.Equal("""{"connection":"google-oauth2","provider":"google-oauth2","user_id":"115015401343387192604","isSocial":true}""",
            identity.GetRawText());
        // Absent, not null, as Auth0 leaves out what a user does not have.
        foreach (var absent in new[] { "phone_number", "phone_verified", "blocked" })
            Assert.False(user.TryGetProperty(absent, out _), absent);
    }

    [Fact]
    public async Task An_sms_user_has_a_phone_and_no_email_fields()
    {
        var user = (await _api.GetAsync(TenantApi.UserPath(Seeded.JohnSms), await Server())).IsSuccess().Json;
        Assert.Equal(Seeded.JohnSmsPhone, Text(user, "phone_number"));
        Assert.Equal(JsonValueKind.True, user.GetProperty("phone_verified").ValueKind);
        Assert.False(user.TryGetProperty("email", out _));
        Assert.False(user.TryGetProperty("email_verified", out _));
    }

    [Fact]
    public async Task A_github_identity_user_id_is_a_number_as_Auth0_sends_it()
    {
        var user = (await _api.GetAsync(TenantApi.UserPath(Seeded.AdaGithub), await Server())).IsSuccess().Json;
        Assert.Equal(1234567, user.GetProperty("identities")[0].GetProperty("user_id").GetInt64());
    }

    [Fact]
    public async Task Fields_and_include_fields_select_the_properties()
    {
        var path = TenantApi.UserPath(Seeded.John);
        var only = (await _api.GetAsync(path + "?fields=user_id,email", await Server())).IsSuccess().Json;
        Assert.Equal(["user_id", "email"], only.EnumerateObject().Select(p => p.Name).Order().Reverse());

        var without = (await _api.GetAsync(path + "?fields=identities,app_metadata&include_fields=false", await Server())).IsSuccess().Json;
        Assert.False(without.TryGetProperty("identities", out _));
        Assert.False(without.TryGetProperty("app_metadata", out _));
        Assert.True(without.TryGetProperty("user_metadata", out _));

        (await _api.GetAsync(path + "?include_fields=maybe", await Server())).IsError(HttpStatusCode.BadRequest,
            "Query validation error: 'Expected type boolean but found type string' on property include_fields.", "invalid_query_string");
    }

    [Theory]
    [InlineData("auth0|doesnotexist")]
    [InlineData("auth0|a/b")]
    [InlineData("auth0|100%")]
    [InlineData("auth0|ユーザー")]
    [InlineData("sms|560ebaeef609ee1adaa7c551 OR 1=1")]
    [InlineData("google-oauth2|115015401343387192604\"")]
    public async Task An_unknown_or_odd_id_is_404_inexistent_user(string id) =>
        (await _api.GetAsync(TenantApi.UserPath(id), await Server()))
            .IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");

    [Fact]
    public async Task Unknown_query_parameters_are_400()
    {
        (await _api.GetAsync(TenantApi.UserPath(Seeded.John) + "?expand=all", await Server())).IsError(HttpStatusCode.BadRequest,
            "Query validation error: 'Additional properties not allowed: expand'.", "invalid_query_string");
    }

    [Fact]
    public async Task Patch_merges_metadata_one_level_deep_and_null_deletes_a_key()
    {
        var id = await tenant.CreateDatabaseUserAsync(extra: new Dictionary<string, object?>
        {
            ["user_metadata"] = new { color = "blue", address = new { city = "Paris", zip = "75001" }, keep = true },
            ["app_metadata"] = new { roles = new[] { "Reader" } },
        });

        var patched = (await _api.PatchAsync(TenantApi.UserPath(id), await Server(), new
        {
            user_metadata = new Dictionary<string, object?> { ["color"] = null, ["address"] = new { city = "Lyon" }, ["shoe"] = 42 },
            app_metadata = new { plan = "pro" },
        })).IsSuccess().Json;

        Assert.Equal("""{"address":{"city":"Lyon"},"keep":true,"shoe":42}""", Sorted(patched.GetProperty("user_metadata")));
        Assert.Equal("""{"plan":"pro","roles":["Reader"]}""", Sorted(patched.GetProperty("app_metadata")));
        var read = (await _api.GetAsync(TenantApi.UserPath(id), await Server())).IsSuccess().Json;
        Assert.Equal(Sorted(patched.GetProperty("user_metadata")), Sorted(read.GetProperty("user_metadata")));
    }

    [Fact]
    public async Task Patch_replaces_root_properties()
    {
        var id = await tenant.CreateDatabaseUserAsync();
        var patched = (await _api.PatchAsync(TenantApi.UserPath(id), await Server(), new
        {
            name = "Grace Hopper", given_name = "Grace", nickname = "amazing", blocked = true,
        })).IsSuccess().Json;

        Assert.Equal(("Grace Hopper", "Grace", "amazing"), (Text(patched, "name"), Text(patched, "given_name"), Text(patched, "nickname")));
        Assert.Equal(JsonValueKind.True, patched.GetProperty("blocked").ValueKind);

        var cleared = (await _api.PatchAsync(TenantApi.UserPath(id), await Server(), new { given_name = (string?)null, blocked = false }))
            .IsSuccess().Json;
        Assert.False(cleared.TryGetProperty("given_name", out _));
        Assert.False(cleared.TryGetProperty("blocked", out _));
    }

    [Fact]
    public async Task Patch_of_the_email_unverifies_it_and_moves_the_login()
    {
        var id = await tenant.CreateDatabaseUserAsync();
        var email = $"moved-{Guid.NewGuid():N}@Example.com";
        var patched = (await _api.PatchAsync(TenantApi.UserPath(id), await Server(), new { email })).IsSuccess().Json;

        Assert.Equal(email.ToLowerInvariant(), Text(patched, "email"));
        Assert.Equal(JsonValueKind.False, patched.GetProperty("email_verified").ValueKind);
        var tokens = await tenant.Bearers.SignInWithPasswordAsync(email, ManagementTenantFixture.NewUserPassword);
        Assert.Equal(id, tokens.Sub);
    }

    [Theory]
    [InlineData("""{"favorite_color":"red"}""", "Payload validation error: 'Additional properties not allowed: favorite_color'.")]
    [InlineData("""{"name":42}""", "Payload validation error: 'Expected type string but found type number' on property name.")]
    [InlineData("""{"blocked":"yes"}""", "Payload validation error: 'Expected type boolean but found type string' on property blocked.")]
    [InlineData("""{"user_metadata":"red"}""", "Payload validation error: 'Expected type object but found type string' on property user_metadata.")]
    [InlineData("""{"user_metadata":null}""", "Payload validation error: 'Expected type object but found type null' on property user_metadata.")]
    [InlineData("""{"email":"not an email"}""", "Payload validation error: 'Object didn't pass validation for format email: not an email' on property email.")]
    [InlineData("""{"name":""}""", "Payload validation error: 'String is too short (0 chars), minimum 1' on property name.")]
    [InlineData("""[{"name":"x"}]""", "Payload validation error: 'Expected type object but found type array'.")]
    public async Task Patch_with_an_invalid_body_is_400_invalid_body(string body, string message)
    {
        var reply = await _api.SendAsync(HttpMethod.Patch, TenantApi.UserPath(Seeded.Qa), await Server(), TenantApi.Json(body));
        reply.IsError(HttpStatusCode.BadRequest, message, "invalid_body");
    }

    [Fact]
    public async Task Patch_of_an_unknown_user_is_404() =>
        (await _api.PatchAsync(TenantApi.UserPath("auth0|nobody"), await Server(), new { name = "x" }))
            .IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");

    [Fact]
    public async Task A_current_user_metadata_token_may_change_only_its_own_user_metadata()
    {
        var (id, _, own) = await tenant.NewSignedInUserAsync();

        var patched = (await _api.PatchAsync(TenantApi.UserPath(id), own.AccessToken, new { user_metadata = new { theme = "dark" } }))
            .IsSuccess().Json;
        Assert.Equal("dark", patched.GetProperty("user_metadata").GetProperty("theme").GetString());

        (await _api.PatchAsync(TenantApi.UserPath(id), own.AccessToken, new { app_metadata = new { roles = new[] { "Admin" } } }))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: update:users,update:users_app_metadata", "insufficient_scope");
        (await _api.PatchAsync(TenantApi.UserPath(id), own.AccessToken, new { email_verified = true, user_metadata = new { } }))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: update:users", "insufficient_scope");
    }

    [Fact]
    public async Task Post_creates_a_database_user_that_can_sign_in()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var created = (await _api.PostAsync("users", await Server(), new
        {
            connection = TenantLoginDriver.DatabaseConnection, email, password = ManagementTenantFixture.NewUserPassword,
            user_metadata = new { color = "green" },
        })).IsSuccess(HttpStatusCode.Created).Json;

        var id = Text(created, "user_id")!;
        Assert.StartsWith("auth0|", id);
        Assert.Equal(JsonValueKind.False, created.GetProperty("email_verified").ValueKind);
        Assert.Equal("green", created.GetProperty("user_metadata").GetProperty("color").GetString());
        Assert.Equal("Username-Password-Authentication", created.GetProperty("identities")[0].GetProperty("connection").GetString());
        Assert.Equal(id, (await tenant.Bearers.SignInWithPasswordAsync(email, ManagementTenantFixture.NewUserPassword)).Sub);

        (await _api.PostAsync("users", await Server(), new
        {
            connection = TenantLoginDriver.DatabaseConnection, email, password = ManagementTenantFixture.NewUserPassword,
        })).IsError(HttpStatusCode.Conflict, "The user already exists.", "auth0_idp_error");
    }

    [Fact]
    public async Task Post_creates_an_sms_user_with_a_chosen_id()
    {
        var created = (await _api.PostAsync("users", await Server(), new
        {
            connection = "sms", phone_number = "+15550001234", user_id = "5f0000000000000000000001", phone_verified = true,
        })).IsSuccess(HttpStatusCode.Created).Json;
        Assert.Equal("sms|5f0000000000000000000001", Text(created, "user_id"));
        Assert.Equal("+15550001234", Text(created, "phone_number"));
    }

    [Fact]
    public async Task Post_with_the_id_of_a_linked_identity_is_409()
    {
        var primary = await tenant.CreateDatabaseUserAsync();
        var secondary = await tenant.CreateDatabaseUserAsync();
        var bare = secondary["auth0|".Length..];
        (await _api.PostAsync(TenantApi.UserPath(primary, "/identities"), await Server(), new { provider = "auth0", user_id = bare }))
            .IsSuccess(HttpStatusCode.Created);

        (await _api.PostAsync("users", await Server(), new
        {
            connection = TenantLoginDriver.DatabaseConnection, user_id = bare, email = $"other-{Guid.NewGuid():N}@example.com",
            password = ManagementTenantFixture.NewUserPassword,
        })).IsError(HttpStatusCode.Conflict, "The user already exists.", "auth0_idp_error");
    }

    [Theory]
    [InlineData("""{"email":"a@example.com","password":"Passw0rd!1"}""", 400, "Payload validation error: 'Missing required property: connection'.", "invalid_body")]
    [InlineData("""{"connection":"nope","email":"a@example.com"}""", 400, "The connection does not exist.", "inexistent_connection")]
    [InlineData("""{"connection":"google-oauth2","email":"a@example.com"}""", 400, "Connection is not supported for this operation.", "operation_not_supported")]
    [InlineData("""{"connection":"Username-Password-Authentication","email":"a@example.com","password":"weak"}""", 400, "PasswordStrengthError: Password is too weak", "invalid_body")]
    [InlineData("""{"connection":"Username-Password-Authentication","password":"Passw0rd!1"}""", 400, "Payload validation error: 'Missing required property: email'.", "invalid_body")]
    [InlineData("""{"connection":"sms","phone_number":"12345"}""", 400, "Payload validation error: 'Object didn't pass validation for format phone_number (E.164): 12345' on property phone_number.", "invalid_body")]
    [InlineData("""{"connection":"sms","phone_number":"+15550009999","user_id":"a|b"}""", 400, "Payload validation error: 'String does not match pattern ^[A-Za-z0-9_-]{1,64}$' on property user_id.", "invalid_body")]
    public async Task Post_with_an_invalid_body_is_400(string body, int status, string message, string errorCode) =>
        (await _api.SendAsync(HttpMethod.Post, "users", await Server(), TenantApi.Json(body)))
            .IsError((HttpStatusCode)status, message, errorCode);

    [Fact]
    public async Task Delete_is_204_and_the_user_is_gone_even_when_asked_twice()
    {
        var id = await tenant.CreateDatabaseUserAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync(TenantApi.UserPath(id), await Server())).Status);
        (await _api.GetAsync(TenantApi.UserPath(id), await Server())).IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync(TenantApi.UserPath(id), await Server())).Status);
    }

    [Fact]
    public async Task Deleting_a_primary_deletes_its_linked_identities()
    {
        var primary = await tenant.CreateDatabaseUserAsync();
        var secondaryEmail = $"second-{Guid.NewGuid():N}@example.com";
        var secondary = await tenant.CreateDatabaseUserAsync(secondaryEmail);
        var bare = secondary["auth0|".Length..];
        (await _api.PostAsync(TenantApi.UserPath(primary, "/identities"), await Server(), new { provider = "auth0", user_id = bare }))
            .IsSuccess(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync(TenantApi.UserPath(primary), await Server())).Status);
        var byEmail = (await _api.GetAsync($"users-by-email?email={secondaryEmail}", await Server())).IsSuccess().Json;
        Assert.Equal(0, byEmail.GetArrayLength());
        var login = await tenant.CreateDriver().LoginWithPasswordAsync(
            new AuthorizeRequest { Tenant = tenant.Url }.ToUri(), secondaryEmail, ManagementTenantFixture.NewUserPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
    }

    [Fact]
    public async Task A_password_change_sets_last_password_reset_and_the_new_password_signs_in()
    {
        var email = $"reset-{Guid.NewGuid():N}@example.com";
        var id = await tenant.CreateDatabaseUserAsync(email);
        var before = (await _api.GetAsync(TenantApi.UserPath(id), await Server())).IsSuccess().Json;
        Assert.False(before.TryGetProperty("last_password_reset", out _));

        var changedAt = DateTimeOffset.UtcNow;
        (await _api.PatchAsync(TenantApi.UserPath(id), await Server(), new { password = "Brand-New-Passw0rd!", connection = TenantLoginDriver.DatabaseConnection })).IsSuccess();
        var after = (await _api.GetAsync(TenantApi.UserPath(id), await Server())).IsSuccess().Json;
        var reset = DateTimeOffset.Parse(after.GetProperty("last_password_reset").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset, changedAt.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(id, (await tenant.Bearers.SignInWithPasswordAsync(email, "Brand-New-Passw0rd!")).Sub);

        // Other edits leave it alone.
        (await _api.PatchAsync(TenantApi.UserPath(id), await Server(), new { user_metadata = new { color = "green" } })).IsSuccess();
        Assert.Equal(after.GetProperty("last_password_reset").GetString(), (await _api.GetAsync(TenantApi.UserPath(id), await Server())).IsSuccess().Json.GetProperty("last_password_reset").GetString());
    }

    private Task<string> Server() => tenant.ServerTokenAsync();

    private static string? Text(JsonElement json, string name) => json.GetProperty(name).GetString();

    private static string Sorted(JsonElement json) =>
        JsonSerializer.Serialize(json.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value));
}
