using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>
/// <c>GET/PATCH /tenants/settings</c>: Auth0's settings object, typed as Auth0 types it; the three flags the tenant acts
/// on (seeded on, switchable, persisted), everything else stored and answered back.
/// </summary>
public sealed class TenantSettingsTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Flags_default_from_the_seed_and_patch_merges_persists_and_resets()
    {
        var server = await tenant.ServerTokenAsync();
        var seeded = (await _api.GetAsync("tenants/settings?fields=flags", server)).IsSuccess().Json;
        Assert.Equal(["flags"], seeded.EnumerateObject().Select(p => p.Name));
        Assert.All(new[] { "allow_authorize_access_token_linking", "allow_legacy_unlink_endpoint", "enable_idtoken_api2" },
            flag => Assert.True(seeded.GetProperty("flags").GetProperty(flag).GetBoolean()));

        var patched = (await _api.PatchAsync("tenants/settings", server, new { flags = new { enable_idtoken_api2 = false } })).IsSuccess();
        Assert.False(patched.Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());
        Assert.True(patched.Json.GetProperty("flags").GetProperty("allow_legacy_unlink_endpoint").GetBoolean());

        await tenant.RestartAsync();
        server = await tenant.ServerTokenAsync();
        Assert.False((await _api.GetAsync("tenants/settings", server)).IsSuccess().Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());

        var reset = (await _api.SendAsync(HttpMethod.Patch, "tenants/settings", server, TenantApi.Json("""{"flags":{"enable_idtoken_api2":null}}""")))
            .IsSuccess();
        Assert.True(reset.Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());
    }

    [Fact]
    public async Task Auth0s_other_settings_and_flags_are_accepted_stored_and_answered_back()
    {
        var server = await tenant.ServerTokenAsync();
        var defaults = (await _api.GetAsync("tenants/settings?fields=session_lifetime,idle_session_lifetime,enabled_locales", server)).IsSuccess();
        Assert.Equal("""{"enabled_locales":["en"],"idle_session_lifetime":72,"session_lifetime":168}""", defaults.Text);

        var body = """
            {"friendly_name":"Team tenant","support_email":"help@example.com","session_lifetime":24,
             "allowed_logout_urls":["https://app.example/"],"session_cookie":{"mode":"non-persistent"},
             "change_password":{"enabled":false,"html":"<p>x</p>"},
             "flags":{"enable_sso":true,"revoke_refresh_token_grant":false}}
            """;
        var patched = (await _api.SendAsync(HttpMethod.Patch, "tenants/settings", server, TenantApi.Json(body))).IsSuccess().Json;
        Assert.Equal(("Team tenant", 24, "non-persistent"), (patched.GetProperty("friendly_name").GetString(),
            patched.GetProperty("session_lifetime").GetInt32(), patched.GetProperty("session_cookie").GetProperty("mode").GetString()));
        Assert.True(patched.GetProperty("flags").GetProperty("enable_sso").GetBoolean());
        Assert.True(patched.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());

        await tenant.RestartAsync();
        server = await tenant.ServerTokenAsync();
        var unset = (await _api.SendAsync(HttpMethod.Patch, "tenants/settings", server,
            TenantApi.Json("""{"friendly_name":null,"flags":{"enable_sso":null}}"""))).IsSuccess().Json;
        Assert.False(unset.TryGetProperty("friendly_name", out _));
        Assert.False(unset.GetProperty("flags").TryGetProperty("enable_sso", out _));
        Assert.Equal("help@example.com", unset.GetProperty("support_email").GetString());
        Assert.False(unset.GetProperty("flags").GetProperty("revoke_refresh_token_grant").GetBoolean());
        Assert.Equal(["https://app.example/"], unset.GetProperty("allowed_logout_urls").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Configuration_sets_the_defaults_and_a_misspelt_flag_stops_start_up()
    {
        await using (var configured = await LocalTenantFixture.StartAsync([new("LocalTenant:Flags:allow_legacy_unlink_endpoint", "false")]))
        {
            var bearers = new TenantBearers(configured);
            var api = new TenantApi(configured.CreateClient(), new Uri(configured.Url));
            var flags = (await api.GetAsync("tenants/settings", await bearers.AdminTokenAsync())).IsSuccess().Json.GetProperty("flags");
            Assert.False(flags.GetProperty("allow_legacy_unlink_endpoint").GetBoolean());
            Assert.True(flags.GetProperty("enable_idtoken_api2").GetBoolean());
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LocalTenantFixture.StartAsync([new("LocalTenant:Flags:enable_id_token_api2", "false")]));
        Assert.Contains("enable_id_token_api2", error.Message);
    }

    [Theory]
    [InlineData("""{"flags":{"enable_everything":true}}""", "Payload validation error: 'Additional properties not allowed: enable_everything' on property flags (Flags used to change the behavior of this tenant).")]
    [InlineData("""{"flags":{"enable_idtoken_api2":"false"}}""", "Payload validation error: 'Expected type boolean but found type string' on property flags.enable_idtoken_api2.")]
    [InlineData("""{"flags":{"enable_sso":1}}""", "Payload validation error: 'Expected type boolean but found type number' on property flags.enable_sso.")]
    [InlineData("""{"flags":[]}""", "Payload validation error: 'Expected type object but found type array' on property flags.")]
    [InlineData("""{"friendly":"Mine"}""", "Payload validation error: 'Additional properties not allowed: friendly'.")]
    [InlineData("""{"friendly_name":1}""", "Payload validation error: 'Expected type string but found type number' on property friendly_name.")]
    [InlineData("""{"session_lifetime":"24"}""", "Payload validation error: 'Expected type integer but found type string' on property session_lifetime.")]
    [InlineData("""{"session_lifetime":1.5}""", "Payload validation error: 'Expected type integer but found type number' on property session_lifetime.")]
    [InlineData("""{"allowed_logout_urls":[1]}""", "Payload validation error: 'Expected type array of strings but found type array' on property allowed_logout_urls.")]
    [InlineData("""{"session_cookie":{"mode":"forever"}}""", "Payload validation error: 'No enum match for: \"forever\"' on property session_cookie.mode.")]
    [InlineData("""{"change_password":{"enabled":"yes"}}""", "Payload validation error: 'Expected type boolean but found type string' on property change_password.enabled.")]
    [InlineData("""{"error_page":"none"}""", "Payload validation error: 'Expected type object but found type string' on property error_page.")]
    public async Task An_invalid_patch_is_400_and_changes_nothing(string body, string message)
    {
        var server = await tenant.ServerTokenAsync();
        var before = (await _api.GetAsync("tenants/settings", server)).Text;
        (await _api.SendAsync(HttpMethod.Patch, "tenants/settings", server, TenantApi.Json(body)))
            .IsError(HttpStatusCode.BadRequest, message, "invalid_body");
        Assert.Equal(before, (await _api.GetAsync("tenants/settings", server)).Text);
    }
}
