using System.Net;
using System.Text;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Legacy;

/// <summary>
/// <c>POST /unlink</c> and <c>/login/unlink</c> <c>{access_token, user_id}</c> (<c>allow_legacy_unlink_endpoint</c>):
/// unlinks from the token's own user only, answers in the Authentication API's error shape, and is gone when off.
/// </summary>
public sealed class LegacyUnlinkTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private const string Flag = "allow_legacy_unlink_endpoint";
    private readonly TenantApi _api = tenant.Api;

    [Theory]
    [InlineData("/unlink", false)]
    [InlineData("/login/unlink", true)]
    public async Task On_it_unlinks_from_the_tokens_own_user_as_json_or_form(string path, bool form)
    {
        await tenant.SetFlagAsync(Flag, true);
        var (primary, secondaryId) = await LinkedPairAsync();

        var reply = (await _api.PostToTenantAsync(path, Body(form, primary.Tokens.AccessToken, secondaryId))).IsSuccess();
        Assert.Equal(1, reply.Json.GetArrayLength());
        (await _api.GetAsync(TenantApi.UserPath(secondaryId), await tenant.ServerTokenAsync())).IsSuccess();

    }

    [Fact]
    public async Task On_a_token_cannot_unlink_from_someone_else_nor_the_main_identity()
    {
        await tenant.SetFlagAsync(Flag, true);
        var (victim, victimsSecondary) = await LinkedPairAsync();
        var attacker = await NewUserAsync();

        (await _api.PostToTenantAsync("/unlink", Body(false, attacker.Tokens.AccessToken, victimsSecondary)))
            .IsAuthenticationError(HttpStatusCode.BadRequest, "invalid_request");
        (await _api.PostToTenantAsync("/unlink", Body(false, victim.Tokens.AccessToken, victim.Id)))
            .IsAuthenticationError(HttpStatusCode.BadRequest, "invalid_request");
        var identities = (await _api.GetAsync(TenantApi.UserPath(victim.Id), await tenant.ServerTokenAsync())).Json.GetProperty("identities");
        Assert.Equal(2, identities.GetArrayLength());
    }

    [Theory]
    [InlineData("{}", 400, "invalid_request")]
    [InlineData("""{"access_token":"x"}""", 400, "invalid_request")]
    [InlineData("""{"user_id":"auth0|x"}""", 400, "invalid_request")]
    [InlineData("""{"access_token":"not-a-jwt","user_id":"auth0|x"}""", 401, "invalid_token")]
    [InlineData("""{"access_token":1,"user_id":"auth0|x"}""", 400, "invalid_request")]
    [InlineData("[1]", 400, "invalid_request")]
    [InlineData("{", 400, "invalid_request")]
    public async Task On_bad_bodies_get_authentication_api_errors(string json, int status, string error)
    {
        await tenant.SetFlagAsync(Flag, true);
        (await _api.PostToTenantAsync("/unlink", new StringContent(json, Encoding.UTF8, "application/json")))
            .IsAuthenticationError((HttpStatusCode)status, error);
    }

    [Fact]
    public async Task On_tokens_that_are_not_a_users_valid_access_token_are_401()
    {
        await tenant.SetFlagAsync(Flag, true);
        var user = await NewUserAsync();
        var expired = tenant.Forge.AccessToken(user.Id, "openid", expires: DateTime.UtcNow.AddMinutes(-1));
        foreach (var token in new[] { expired, user.Tokens.IdToken })
            (await _api.PostToTenantAsync("/unlink", Body(false, token, "auth0|x"))).IsAuthenticationError(HttpStatusCode.Unauthorized, "invalid_token");
        (await _api.PostToTenantAsync("/unlink", Body(false, await tenant.ServerTokenAsync(), "auth0|x")))
            .IsAuthenticationError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task On_other_content_types_and_oversize_bodies_are_refused()
    {
        await tenant.SetFlagAsync(Flag, true);
        (await _api.PostToTenantAsync("/unlink", new StringContent("access_token=x&user_id=y", Encoding.UTF8, "text/plain")))
            .IsAuthenticationError(HttpStatusCode.BadRequest, "invalid_request");
        var big = $"{{\"access_token\":\"{new string('x', 70 * 1024)}\",\"user_id\":\"auth0|x\"}}";
        (await _api.PostToTenantAsync("/unlink", new StringContent(big, Encoding.UTF8, "application/json")))
            .IsAuthenticationError(HttpStatusCode.RequestEntityTooLarge, "invalid_request");
    }

    [Fact]
    public async Task Off_the_endpoint_is_gone_and_nothing_is_unlinked()
    {
        var (primary, secondaryId) = await LinkedPairAsync();
        await tenant.SetFlagAsync(Flag, false);
        try
        {
            foreach (var path in new[] { "/unlink", "/login/unlink" })
            {
                var reply = (await _api.PostToTenantAsync(path, Body(false, primary.Tokens.AccessToken, secondaryId)))
                    .IsAuthenticationError(HttpStatusCode.NotFound, "deprecated_endpoint");
                Assert.Contains("has been disabled", reply.Json.GetProperty("error_description").GetString());
            }
            var identities = (await _api.GetAsync(TenantApi.UserPath(primary.Id), await tenant.ServerTokenAsync())).Json.GetProperty("identities");
            Assert.Equal(2, identities.GetArrayLength());
            Assert.DoesNotContain(await tenant.LogsAsync("depnote"), n => n.GetProperty("user_id").GetString() == primary.Id);
        }
        finally
        {
            await tenant.SetFlagAsync(Flag, true);
        }
    }

    private static HttpContent Body(bool form, string accessToken, string userId) =>
        form
            ? new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = accessToken, ["user_id"] = userId })
            : TenantApi.Json(new { access_token = accessToken, user_id = userId });

    private Task<SignedInUser> NewUserAsync() => tenant.NewSignedInUserAsync();

    /// <summary>A fresh primary (signed in) with a fresh database user linked into it; returns the secondary's id.</summary>
    private async Task<(SignedInUser Primary, string SecondaryId)> LinkedPairAsync()
    {
        var primary = await NewUserAsync();
        var secondary = await tenant.CreateDatabaseUserAsync();
        (await _api.PostAsync(TenantApi.UserPath(primary.Id, "/identities"), await tenant.ServerTokenAsync(),
            new { provider = "auth0", user_id = secondary })).IsSuccess(HttpStatusCode.Created);
        return (primary, secondary);
    }
}
