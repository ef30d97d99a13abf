using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>
/// <c>POST /users/{id}/identities</c> and <c>DELETE /users/{id}/identities/{provider}/{user_id}</c>: both body forms,
/// who may use which, and every refusal. Each test links fresh users so tests never depend on each other.
/// </summary>
public sealed class IdentitiesTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Link_with_a_secondary_ID_token_and_the_users_access_token_is_201_with_the_new_identities()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();

        var identities = (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { link_with = secondary.Tokens.IdToken }))
            .IsSuccess(HttpStatusCode.Created).Json;

        Assert.Equal([primary.Bare, secondary.Bare], identities.EnumerateArray().Select(i => i.GetProperty("user_id").GetString()));
        var linked = identities[1];
        Assert.Equal(("auth0", "Username-Password-Authentication", false),
            (linked.GetProperty("provider").GetString(), linked.GetProperty("connection").GetString(), linked.GetProperty("isSocial").GetBoolean()));
        Assert.Equal(secondary.Email, linked.GetProperty("profileData").GetProperty("email").GetString());
        // As in Auth0's recorded answers, the primary identity's profileData is the primary's root profile.
        Assert.Equal(primary.Email, identities[0].GetProperty("profileData").GetProperty("email").GetString());

        (await _api.GetAsync(TenantApi.UserPath(secondary.Id), await Server())).IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");
        Assert.Equal(primary.Id, (await SignInAsync(secondary)).Sub);
    }

    [Fact]
    public async Task Link_with_the_servers_update_users_token_and_a_secondary_ID_token()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        (await _api.PostAsync(Identities(primary.Id), await AppServer(), new { link_with = secondary.Tokens.IdToken }))
            .IsSuccess(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Link_with_an_ID_token_of_another_application_is_400()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        var otherAppIdToken = tenant.Forge.IdToken(secondary.Id, ManagementTenantFixture.OtherClientId);

        (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { link_with = otherAppIdToken }))
            .IsError(HttpStatusCode.BadRequest,
                $"Payload validation error: 'The audience of the link_with ID token ({ManagementTenantFixture.OtherClientId}) does not match the azp of the bearer token ({LocalTenantFixture.ClientId})'.",
                "invalid_body");
    }

    [Theory]
    [InlineData("expired", "Payload validation error: 'link_with is not a valid ID token of this tenant: Expired token received for JSON Web Token validation.'.")]
    [InlineData("foreign", "Payload validation error: 'link_with is not a valid ID token of this tenant: Invalid signature received for JSON Web Token validation.'.")]
    [InlineData("garbage", "Payload validation error: 'link_with is not a valid ID token of this tenant: Invalid token.'.")]
    [InlineData("access", "Payload validation error: 'link_with must be an ID token, not an access token'.")]
    public async Task Link_with_an_invalid_ID_token_is_400(string kind, string message)
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        var linkWith = kind switch
        {
            "expired" => tenant.Forge.IdToken(secondary.Id, expires: DateTime.UtcNow.AddMinutes(-1)),
            "foreign" => tenant.Forge.IdToken(secondary.Id, key: tenant.Forge.ForeignKey()),
            "garbage" => "not-a-jwt",
            _ => secondary.Tokens.AccessToken,
        };
        (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { link_with = linkWith }))
            .IsError(HttpStatusCode.BadRequest, message, "invalid_body");
        Assert.Single(await IdentitiesOfAsync(primary.Id));
    }

    [Theory]
    [InlineData("""{"link_with":"x","provider":"auth0"}""", "Payload validation error: 'link_with cannot be sent with provider, user_id or connection_id'.")]
    [InlineData("""{}""", "Payload validation error: 'Missing required property: link_with, or provider and user_id'.")]
    [InlineData("""{"link_with":7}""", "Payload validation error: 'Expected type string but found type number' on property link_with.")]
    [InlineData("""{"provider":"auth0"}""", "Payload validation error: 'Missing required property: user_id'.")]
    [InlineData("""{"user_id":"abc"}""", "Payload validation error: 'Missing required property: provider'.")]
    [InlineData("""{"provider":"auth0","user_id":"abc","connection_id":"con_1"}""", "Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id.")]
    [InlineData("""{"provider":"auth0","user_id":"abc","extra":1}""", "Payload validation error: 'Additional properties not allowed: extra'.")]
    public async Task Link_with_a_malformed_body_is_400(string body, string message) =>
        (await _api.SendAsync(HttpMethod.Post, Identities(Seeded.Qa), await Server(), TenantApi.Json(body)))
            .IsError(HttpStatusCode.BadRequest, message, "invalid_body");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Link_by_provider_and_user_id_needs_update_users(bool withPrefix)
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        var userId = withPrefix ? secondary.Id : secondary.Bare;

        (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { provider = "auth0", user_id = userId }))
            .IsError(HttpStatusCode.Forbidden, "Insufficient scope, expected any of: update:users", "insufficient_scope");
        Assert.Single(await IdentitiesOfAsync(primary.Id));

        var identities = (await _api.PostAsync(Identities(primary.Id), await Server(), new { provider = "auth0", user_id = userId }))
            .IsSuccess(HttpStatusCode.Created).Json;
        Assert.Equal(secondary.Bare, identities[1].GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task Link_by_a_numeric_user_id_and_a_matching_connection_id()
    {
        var primary = await tenant.CreateDatabaseUserAsync();
        var wrongConnection = new { provider = "github", user_id = 1234567, connection_id = "con_Qm5B2xYt7Lp3Rw9K" };
        (await _api.PostAsync(Identities(primary), await Server(), wrongConnection))
            .IsError(HttpStatusCode.NotFound, "The user to link does not exist.", "inexistent_user");

        var identities = (await _api.PostAsync(Identities(primary), await Server(), new { provider = "github", user_id = 1234567, connection_id = "con_H8jU3lRr0Ay5Wo2N" }))
            .IsSuccess(HttpStatusCode.Created).Json;
        Assert.Equal(1234567, identities[1].GetProperty("user_id").GetInt64());
        Assert.Equal("Ada Lovelace", identities[1].GetProperty("profileData").GetProperty("name").GetString());

        // Give the seeded github user back to the other tests.
        (await _api.DeleteAsync(Identities(primary, "/github/1234567"), await Server())).IsSuccess();
    }

    [Fact]
    public async Task Linking_a_user_to_itself_is_400()
    {
        var primary = await NewUserAsync();
        (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { link_with = primary.Tokens.IdToken }))
            .IsError(HttpStatusCode.BadRequest, "Main identity and the new one are the same.", "invalid_body");
        (await _api.PostAsync(Identities(primary.Id), await Server(), new { provider = "auth0", user_id = primary.Bare }))
            .IsError(HttpStatusCode.BadRequest, "Main identity and the new one are the same.", "invalid_body");
    }

    [Fact]
    public async Task Linking_an_identity_already_linked_is_409_and_an_unknown_one_404()
    {
        var first = await NewUserAsync();
        var second = await NewUserAsync();
        var secondary = await NewUserAsync();
        (await _api.PostAsync(Identities(first.Id), await Server(), new { provider = "auth0", user_id = secondary.Bare }))
            .IsSuccess(HttpStatusCode.Created);

        (await _api.PostAsync(Identities(first.Id), await Server(), new { provider = "auth0", user_id = secondary.Bare }))
            .IsError(HttpStatusCode.Conflict, "The identity is already linked to this user.", "identity_already_linked");
        (await _api.PostAsync(Identities(second.Id), await Server(), new { provider = "auth0", user_id = secondary.Bare }))
            .IsError(HttpStatusCode.Conflict, "The identity is already linked to another user.", "identity_already_linked");
        (await _api.PostAsync(Identities(second.Id), await Server(), new { provider = "auth0", user_id = "000000000000000000000000" }))
            .IsError(HttpStatusCode.NotFound, "The user to link does not exist.", "inexistent_user");
        (await _api.PostAsync(Identities("auth0|nobody"), await Server(), new { provider = "auth0", user_id = secondary.Bare }))
            .IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");
    }

    [Fact]
    public async Task Linking_a_user_that_has_linked_identities_brings_them_along_in_order()
    {
        var top = await NewUserAsync();
        var middle = await NewUserAsync();
        var leaf = await NewUserAsync();
        (await _api.PostAsync(Identities(middle.Id), await Server(), new { provider = "auth0", user_id = leaf.Bare })).IsSuccess(HttpStatusCode.Created);

        var identities = (await _api.PostAsync(Identities(top.Id), await AppServer(), new { link_with = middle.Tokens.IdToken }))
            .IsSuccess(HttpStatusCode.Created).Json;
        Assert.Equal([top.Bare, middle.Bare, leaf.Bare], identities.EnumerateArray().Select(i => i.GetProperty("user_id").GetString()));
        Assert.Equal(leaf.Email, identities[2].GetProperty("profileData").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Unlink_is_200_with_the_remaining_identities_and_the_secondary_is_a_user_again_without_metadata()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync(new Dictionary<string, object?>
        {
            ["user_metadata"] = new { color = "blue" }, ["given_name"] = "Sec",
        });
        (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { link_with = secondary.Tokens.IdToken }))
            .IsSuccess(HttpStatusCode.Created);

        var remaining = (await _api.DeleteAsync(Identities(primary.Id, $"/auth0/{secondary.Bare}"), primary.Tokens.AccessToken)).IsSuccess().Json;
        Assert.Equal([primary.Bare], remaining.EnumerateArray().Select(i => i.GetProperty("user_id").GetString()));

        var back = (await _api.GetAsync(TenantApi.UserPath(secondary.Id), await Server())).IsSuccess().Json;
        Assert.Equal((secondary.Email, "Sec"), (back.GetProperty("email").GetString(), back.GetProperty("given_name").GetString()));
        Assert.False(back.TryGetProperty("user_metadata", out _));
        Assert.False(back.TryGetProperty("app_metadata", out _));
        Assert.Equal(secondary.Id, (await SignInAsync(secondary)).Sub);
    }

    [Fact]
    public async Task Unlink_takes_an_escaped_or_prefixed_user_id()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        (await _api.PostAsync(Identities(primary.Id), await Server(), new { provider = "auth0", user_id = secondary.Bare })).IsSuccess(HttpStatusCode.Created);

        (await _api.DeleteAsync(Identities(primary.Id, $"/auth0/{Uri.EscapeDataString(secondary.Id)}"), await Server())).IsSuccess();
        Assert.Single(await IdentitiesOfAsync(primary.Id));
    }

    [Fact]
    public async Task Unlinking_the_main_identity_or_an_unknown_one_is_400()
    {
        var primary = await NewUserAsync();
        (await _api.DeleteAsync(Identities(primary.Id, $"/auth0/{primary.Bare}"), primary.Tokens.AccessToken))
            .IsError(HttpStatusCode.BadRequest, "The main identity of a user cannot be unlinked.", "invalid_uri");
        (await _api.DeleteAsync(Identities(primary.Id, "/github/1234567"), await Server()))
            .IsError(HttpStatusCode.BadRequest, "The user has no linked identity with this provider and user_id.", "invalid_uri");
        (await _api.DeleteAsync(Identities(primary.Id, "/auth0/%2F..%2Fx"), await Server()))
            .IsError(HttpStatusCode.BadRequest, "The user has no linked identity with this provider and user_id.", "invalid_uri");
        (await _api.DeleteAsync(Identities("auth0|nobody", "/auth0/x"), await Server()))
            .IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");
    }

    [Fact]
    public async Task Concurrent_unlinks_of_one_identity_unlink_it_once_and_answer_the_others_as_a_second_unlink()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        (await _api.PostAsync(Identities(primary.Id), primary.Tokens.AccessToken, new { link_with = secondary.Tokens.IdToken }))
            .IsSuccess(HttpStatusCode.Created);
        var server = await Server();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => _api.DeleteAsync(Identities(primary.Id, $"/auth0/{secondary.Bare}"), server)));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK),
            a => a.IsError(HttpStatusCode.BadRequest, "The user has no linked identity with this provider and user_id.", "invalid_uri"));
        Assert.Single(await IdentitiesOfAsync(primary.Id));
        Assert.Single(await IdentitiesOfAsync(secondary.Id));
    }

    [Fact]
    public async Task Concurrent_links_of_one_secondary_link_it_once_and_answer_the_others_as_a_second_link()
    {
        var primary = await NewUserAsync();
        var secondary = await NewUserAsync();
        var server = await Server();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => _api.PostAsync(Identities(primary.Id), server, new { provider = "auth0", user_id = secondary.Bare })));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created),
            a => a.IsError(HttpStatusCode.Conflict, "The identity is already linked to this user.", "identity_already_linked"));
        Assert.Equal(2, (await IdentitiesOfAsync(primary.Id)).Count);
    }

    private Task<SignedInUser> NewUserAsync(IReadOnlyDictionary<string, object?>? extra = null) => tenant.NewSignedInUserAsync(extra);

    private Task<UserTokens> SignInAsync(SignedInUser user) => tenant.Bearers.SignInWithPasswordAsync(user.Email, ManagementTenantFixture.NewUserPassword);

    private async Task<List<JsonElement>> IdentitiesOfAsync(string userId) =>
        (await _api.GetAsync(TenantApi.UserPath(userId), await Server())).IsSuccess().Json.GetProperty("identities").EnumerateArray().ToList();

    private static string Identities(string userId, string suffix = "") => TenantApi.UserPath(userId, "/identities" + suffix);

    private Task<string> Server() => tenant.ServerTokenAsync();

    /// <summary>The app's own update:users token: <c>link_with</c> must be an ID token of the bearer's application.</summary>
    private Task<string> AppServer() => tenant.Bearers.ClientCredentialsAsync();
}
