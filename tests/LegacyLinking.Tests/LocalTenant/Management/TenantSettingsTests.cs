using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary><c>GET/PATCH /tenants/settings</c>: the three flags, seeded on, switchable and persisted.</summary>
public sealed class TenantSettingsTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Flags_default_from_the_seed_and_patch_merges_persists_and_resets()
    {
        var server = await tenant.ServerTokenAsync();
        Assert.Equal(
            """{"flags":{"enable_idtoken_api2":true,"allow_legacy_unlink_endpoint":true,"allow_authorize_access_token_linking":true}}""",
            (await _api.GetAsync("tenants/settings", server)).IsSuccess().Text);

        var patched = (await _api.PatchAsync("tenants/settings", server, new { flags = new { enable_idtoken_api2 = false } })).IsSuccess();
        Assert.Equal(
            """{"flags":{"enable_idtoken_api2":false,"allow_legacy_unlink_endpoint":true,"allow_authorize_access_token_linking":true}}""",
            patched.Text);

        await tenant.RestartAsync();
        server = await tenant.ServerTokenAsync();
        Assert.False((await _api.GetAsync("tenants/settings", server)).IsSuccess().Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());

        var reset = (await _api.SendAsync(HttpMethod.Patch, "tenants/settings", server, TenantApi.Json("""{"flags":{"enable_idtoken_api2":null}}""")))
            .IsSuccess();
        Assert.True(reset.Json.GetProperty("flags").GetProperty("enable_idtoken_api2").GetBoolean());
    }

    [Fact]
    public async Task Configuration_sets_the_defaults_and_a_misspelt_flag_stops_start_up()
    {
        await using (var configured = await LocalTenantFixture.StartAsync([new("LocalTenant:Flags:allow_legacy_unlink_endpoint", "false")]))
        {
            var bearers = new TenantBearers(configured);
            var api = new TenantApi(configured.CreateClient(), new Uri(configured.Url));
            var flags = (await api.GetAsync("tenants/settings", await bearers.ClientCredentialsAsync())).IsSuccess().Json.GetProperty("flags");
            Assert.False(flags.GetProperty("allow_legacy_unlink_endpoint").GetBoolean());
            Assert.True(flags.GetProperty("enable_idtoken_api2").GetBoolean());
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LocalTenantFixture.StartAsync([new("LocalTenant:Flags:enable_id_token_api2", "false")]));
        Assert.Contains("enable_id_token_api2", error.Message);
    }

    [Theory]
    [InlineData("""{"flags":{"enable_sso":true}}""", "Payload validation error: 'Additional properties not allowed: enable_sso' on property flags (Flags used to change the behavior of this tenant).")]
    [InlineData("""{"flags":{"enable_idtoken_api2":"false"}}""", "Payload validation error: 'Expected type boolean but found type string' on property flags.enable_idtoken_api2.")]
    [InlineData("""{"flags":[]}""", "Payload validation error: 'Expected type object but found type array' on property flags.")]
    [InlineData("""{"friendly_name":"Mine"}""", "Payload validation error: 'Additional properties not allowed: friendly_name'.")]
    public async Task An_invalid_patch_is_400_and_changes_nothing(string body, string message)
    {
        var server = await tenant.ServerTokenAsync();
        var before = (await _api.GetAsync("tenants/settings", server)).Text;
        (await _api.SendAsync(HttpMethod.Patch, "tenants/settings", server, TenantApi.Json(body)))
            .IsError(HttpStatusCode.BadRequest, message, "invalid_body");
        Assert.Equal(before, (await _api.GetAsync("tenants/settings", server)).Text);
    }
}
