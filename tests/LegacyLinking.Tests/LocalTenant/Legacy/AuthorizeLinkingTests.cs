using System.Net;
using System.Security.Cryptography;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Legacy;

/// <summary>
/// <c>/authorize?…&amp;connection=X&amp;access_token=…</c> (<c>allow_authorize_access_token_linking</c>): on, the login
/// with X is linked into the token's user and the code is the primary's; off, the parameter is refused to the client.
/// </summary>
public sealed class AuthorizeLinkingTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private const string Flag = "allow_authorize_access_token_linking";
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task On_the_new_login_is_linked_into_the_tokens_user_and_the_code_is_the_primarys()
    {
        await tenant.SetFlagAsync(Flag, true);
        var primary = await NewUserAsync();
        var (smsId, phone) = await NewSmsUserAsync();

        var request = LinkRequest(primary.Tokens.AccessToken);
        var step = await tenant.CreateDriver().LoginWithSmsAsync(request.ToUri(), phone);
        Assert.True(step.Code is not null, $"expected a code, got {step}");
        Assert.Equal(request.State, step.State);
        var tokens = await tenant.CreateTokenClient().RedeemCodeAsync(step.Code!, request);
        Assert.Equal(primary.Id, Jwt.Parse(tokens.IdToken!).Claim("sub"));

        var identities = await IdentitiesAsync(primary.Id);
        Assert.Equal([primary.Id, smsId], identities);
        (await _api.GetAsync(TenantApi.UserPath(smsId), await tenant.ServerTokenAsync())).IsErrorWithCode(HttpStatusCode.NotFound, "inexistent_user");

    }

    [Fact]
    public async Task On_a_login_with_an_identity_the_user_already_has_just_signs_in_as_the_primary()
    {
        await tenant.SetFlagAsync(Flag, true);
        var primary = await NewUserAsync();
        var step = await tenant.CreateDriver().LoginWithPasswordAsync(
            LinkRequest(primary.Tokens.AccessToken, TenantLoginDriver.DatabaseConnection).ToUri(), primary.Email, ManagementTenantFixture.NewUserPassword);
        Assert.NotNull(step.Code);
        Assert.Equal([primary.Id], await IdentitiesAsync(primary.Id));
    }

    [Fact]
    public async Task On_an_invalid_token_or_another_applications_token_is_refused_before_any_login()
    {
        await tenant.SetFlagAsync(Flag, true);
        var otherApp = await tenant.Bearers.SignInAsync(Seeded.AdaGithub, clientId: ManagementTenantFixture.OtherClientId);
        var expired = tenant.Forge.AccessToken(Seeded.John, "openid", expires: DateTime.UtcNow.AddMinutes(-1));
        var server = await tenant.ServerTokenAsync();

        foreach (var token in new[] { "not-a-jwt", expired, otherApp.AccessToken, otherApp.IdToken, server })
        {
            var step = await tenant.CreateDriver().OpenAsync(LinkRequest(token).ToUri());
            Assert.True(step.Error == "invalid_request", $"expected invalid_request, got {step}");
            Assert.StartsWith("invalid main user access_token", step.Parameters["error_description"]);
        }
    }

    [Fact]
    public async Task Off_the_parameter_is_refused_to_the_client_never_ignored()
    {
        var primary = await NewUserAsync();
        var (smsId, _) = await NewSmsUserAsync();
        await tenant.SetFlagAsync(Flag, false);
        try
        {
            var request = LinkRequest(primary.Tokens.AccessToken);
            var step = await tenant.CreateDriver().OpenAsync(request.ToUri());

            Assert.False(step.IsLoginPage, "the refusal comes before any login");
            Assert.Equal(new Uri(LocalTenantFixture.RedirectUri).AbsolutePath, step.RedirectTarget?.AbsolutePath);
            Assert.Equal("invalid_request", step.Error);
            Assert.Equal(request.State, step.State);
            var description = step.Parameters["error_description"];
            Assert.Contains("access_token", description);
            Assert.Contains("no longer supported", description);
            Assert.Equal([primary.Id], await IdentitiesAsync(primary.Id));
            (await _api.GetAsync(TenantApi.UserPath(smsId), await tenant.ServerTokenAsync())).IsSuccess();
            Assert.DoesNotContain(await tenant.LogsAsync("depnote"), n => n.GetProperty("user_id").GetString() == primary.Id);
        }
        finally
        {
            await tenant.SetFlagAsync(Flag, true);
        }
    }

    private AuthorizeRequest LinkRequest(string accessToken, string connection = "sms") => new()
    {
        Tenant = tenant.Url,
        Connection = connection,
        Prompt = "login",
        Extra = new Dictionary<string, string> { ["access_token"] = accessToken },
    };

    private Task<SignedInUser> NewUserAsync() => tenant.NewSignedInUserAsync();

    private async Task<(string Id, string Phone)> NewSmsUserAsync()
    {
        var phone = "+1555" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999);
        var created = (await _api.PostAsync("users", await tenant.ServerTokenAsync(), new { connection = "sms", phone_number = phone, phone_verified = true }))
            .IsSuccess(HttpStatusCode.Created);
        return (created.Json.GetProperty("user_id").GetString()!, phone);
    }

    private async Task<List<string>> IdentitiesAsync(string userId) =>
        (await _api.GetAsync(TenantApi.UserPath(userId), await tenant.ServerTokenAsync())).IsSuccess().Json
            .GetProperty("identities").EnumerateArray()
            .Select(i => $"{i.GetProperty("provider").GetString()}|{i.GetProperty("user_id")}").ToList();
}
