using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Legacy;

/// <summary>
/// <c>enable_idtoken_api2</c>: while on, an ID token of this tenant's client may stand in for the bearer of the
/// identities endpoints and GET/PATCH of its own user (its <c>depnote</c>s: DeprecationNoticeTests); while off it is what it
/// is, a token for another audience (401).
/// </summary>
public sealed class IdTokenBearerTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private const string Flag = "enable_idtoken_api2";
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task On_an_ID_token_reads_and_updates_its_own_user()
    {
        await tenant.SetFlagAsync(Flag, true);
        var user = await NewUserAsync();

        var read = (await _api.GetAsync(TenantApi.UserPath(user.Id), user.Tokens.IdToken)).IsSuccess().Json;
        Assert.Equal(user.Id, read.GetProperty("user_id").GetString());
        var patched = (await _api.PatchAsync(TenantApi.UserPath(user.Id), user.Tokens.IdToken, new { user_metadata = new { lang = "fr" } }))
            .IsSuccess().Json;
        Assert.Equal("fr", patched.GetProperty("user_metadata").GetProperty("lang").GetString());
    }

    [Fact]
    public async Task On_an_ID_token_links_with_link_with_and_unlinks_but_only_its_own_user()
    {
        await tenant.SetFlagAsync(Flag, true);
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();

        var linked = (await _api.PostAsync(TenantApi.UserPath(primary.Id, "/identities"), primary.Tokens.IdToken, new { link_with = secondary.Tokens.IdToken }))
            .IsSuccess(HttpStatusCode.Created).Json;
        Assert.Equal(2, linked.GetArrayLength());
        var remaining = (await _api.DeleteAsync(TenantApi.UserPath(primary.Id, $"/identities/auth0/{secondary.Bare}"), primary.Tokens.IdToken))
            .IsSuccess().Json;
        Assert.Equal(1, remaining.GetArrayLength());

        const string unowned = "User to be acted on does not match subject in bearer token.";
        (await _api.GetAsync(TenantApi.UserPath(secondary.Id), primary.Tokens.IdToken)).IsError(HttpStatusCode.Forbidden, unowned, "unowned_resource");
        (await _api.PostAsync(TenantApi.UserPath(secondary.Id, "/identities"), primary.Tokens.IdToken, new { link_with = primary.Tokens.IdToken }))
            .IsError(HttpStatusCode.Forbidden, unowned, "unowned_resource");
    }

    [Fact]
    public async Task On_an_ID_token_may_not_link_by_user_id_nor_touch_app_metadata_nor_call_other_endpoints()
    {
        await tenant.SetFlagAsync(Flag, true);
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();

        (await _api.PostAsync(TenantApi.UserPath(primary.Id, "/identities"), primary.Tokens.IdToken, new { provider = "auth0", user_id = secondary.Bare }))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: update:users", "insufficient_scope");
        (await _api.PatchAsync(TenantApi.UserPath(primary.Id), primary.Tokens.IdToken, new { app_metadata = new { roles = new[] { "Admin" } } }))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: update:users,update:users_app_metadata", "insufficient_scope");
        (await _api.GetAsync($"users-by-email?email={primary.Email}", primary.Tokens.IdToken))
            .IsError(HttpStatusCode.Unauthorized, $"Bad audience: {LocalTenantFixture.ClientId}", "invalid_token");
        (await _api.DeleteAsync(TenantApi.UserPath(primary.Id), primary.Tokens.IdToken))
            .IsError(HttpStatusCode.Unauthorized, $"Bad audience: {LocalTenantFixture.ClientId}", "invalid_token");
    }

    [Fact]
    public async Task On_expired_or_foreign_ID_tokens_are_still_refused()
    {
        await tenant.SetFlagAsync(Flag, true);
        var path = TenantApi.UserPath(Seeded.Qa);
        (await _api.GetAsync(path, tenant.Forge.IdToken(Seeded.Qa, expires: DateTime.UtcNow.AddMinutes(-1))))
            .IsError(HttpStatusCode.Unauthorized, "Expired token received for JSON Web Token validation.", "invalid_token");
        (await _api.GetAsync(path, tenant.Forge.IdToken(Seeded.Qa, key: tenant.Forge.ForeignKey())))
            .IsError(HttpStatusCode.Unauthorized, "Invalid signature received for JSON Web Token validation.", "invalid_token");
        (await _api.GetAsync(path, tenant.Forge.IdToken(Seeded.Qa, audience: "not-a-client")))
            .IsError(HttpStatusCode.Unauthorized, "Bad audience: not-a-client", "invalid_token");
    }

    [Fact]
    public async Task Off_every_ID_token_bearer_is_401_bad_audience_and_nothing_is_noted()
    {
        await tenant.SetFlagAsync(Flag, false);
        try
        {
            var primary = await NewUserAsync();
            var secondary = await NewUserAsync();
            var badAudience = $"Bad audience: {LocalTenantFixture.ClientId}";

            (await _api.GetAsync(TenantApi.UserPath(primary.Id), primary.Tokens.IdToken)).IsError(HttpStatusCode.Unauthorized, badAudience, "invalid_token");
            (await _api.PatchAsync(TenantApi.UserPath(primary.Id), primary.Tokens.IdToken, new { user_metadata = new { a = 1 } }))
                .IsError(HttpStatusCode.Unauthorized, badAudience, "invalid_token");
            (await _api.PostAsync(TenantApi.UserPath(primary.Id, "/identities"), primary.Tokens.IdToken, new { link_with = secondary.Tokens.IdToken }))
                .IsError(HttpStatusCode.Unauthorized, badAudience, "invalid_token");
            (await _api.DeleteAsync(TenantApi.UserPath(primary.Id, $"/identities/auth0/{secondary.Bare}"), primary.Tokens.IdToken))
                .IsError(HttpStatusCode.Unauthorized, badAudience, "invalid_token");

            Assert.DoesNotContain(await tenant.LogsAsync("depnote"), n => n.GetProperty("user_id").GetString() == primary.Id);
            // The access token still works: only the deprecated bearer is gone.
            (await _api.GetAsync(TenantApi.UserPath(primary.Id), primary.Tokens.AccessToken)).IsSuccess();
        }
        finally
        {
            await tenant.SetFlagAsync(Flag, true);
        }
    }

    private Task<SignedInUser> NewUserAsync() => tenant.NewSignedInUserAsync();
}
