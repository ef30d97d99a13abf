using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>
/// The account-linking documentation's example, on the seeded profiles: the <c>sms</c> user linked into John's
/// <c>google-oauth2</c> account, field by field, then unlinked again.
/// </summary>
public sealed class LinkedProfileTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task The_sms_user_linked_into_John_and_back()
    {
        var john = await tenant.Bearers.SignInAsync(Seeded.John);
        var sms = await tenant.Bearers.SignInWithSmsAsync(Seeded.JohnSmsPhone);
        var server = await tenant.ServerTokenAsync();

        var identities = (await _api.PostAsync(TenantApi.UserPath(Seeded.John, "/identities"), john.AccessToken, new { link_with = sms.IdToken }))
            .IsSuccess(HttpStatusCode.Created).Json;

        // identities: the primary first (its profileData is John's root profile, as in Auth0's recorded answers), then the
        // linked sms identity carrying the sms user's former root profile.
        Assert.Equal(2, identities.GetArrayLength());
        Assert.Equal(John, WithoutProfileData(identities[0]));
        Assert.Equal("johndoe@gmail.com", Text(identities[0].GetProperty("profileData"), "email"));
        var linked = identities[1];
        Assert.Equal(("sms", "sms", "560ebaeef609ee1adaa7c551", false),
            (Text(linked, "connection"), Text(linked, "provider"), Text(linked, "user_id"), linked.GetProperty("isSocial").GetBoolean()));
        var profile = linked.GetProperty("profileData");
        Assert.Equal(Seeded.JohnSmsPhone, Text(profile, "phone_number"));
        Assert.Equal(JsonValueKind.True, profile.GetProperty("phone_verified").ValueKind);
        Assert.Equal(Seeded.JohnSmsPhone, Text(profile, "name"));
        Assert.Equal(Seeded.JohnSmsPhone, Text(profile, "nickname"));
        Assert.Equal("https://cdn.auth0.com/avatars/default.png", Text(profile, "picture"));
        Assert.False(profile.TryGetProperty("email", out _));
        Assert.False(profile.TryGetProperty("user_metadata", out _));

        // The primary keeps its root profile and its own metadata; the secondary's metadata is discarded.
        var primary = (await _api.GetAsync(TenantApi.UserPath(Seeded.John), server)).IsSuccess().Json;
        Assert.Equal(("John Doe", "johndoe@gmail.com"), (Text(primary, "name"), Text(primary, "email")));
        Assert.Equal("""{"color":"red"}""", primary.GetProperty("user_metadata").GetRawText());
        Assert.Equal("""{"roles":["Admin"]}""", primary.GetProperty("app_metadata").GetRawText());
        Assert.Equal(John, primary.GetProperty("identities")[0].GetRawText());
        Assert.Equal(linked.GetRawText(), primary.GetProperty("identities")[1].GetRawText());

        // The secondary has left the user list.
        (await _api.GetAsync(TenantApi.UserPath(Seeded.JohnSms), server)).IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");
        Assert.DoesNotContain(Seeded.JohnSms, await UserIdsAsync(server));
        Assert.Equal(Seeded.John, (await tenant.Bearers.SignInWithSmsAsync(Seeded.JohnSmsPhone)).Sub);

        // Unlink: John is back to one identity and the sms user is its own user again, without metadata.
        var remaining = (await _api.DeleteAsync(TenantApi.UserPath(Seeded.John, "/identities/sms/560ebaeef609ee1adaa7c551"), john.AccessToken))
            .IsSuccess().Json;
        Assert.Equal(John, WithoutProfileData(Assert.Single(remaining.EnumerateArray())));

        var back = (await _api.GetAsync(TenantApi.UserPath(Seeded.JohnSms), server)).IsSuccess().Json;
        Assert.Equal((Seeded.JohnSms, Seeded.JohnSmsPhone, Seeded.JohnSmsPhone), (Text(back, "user_id"), Text(back, "phone_number"), Text(back, "name")));
        Assert.Equal(JsonValueKind.True, back.GetProperty("phone_verified").ValueKind);
        Assert.False(back.TryGetProperty("user_metadata", out _), "an unlinked identity comes back without metadata");
        Assert.False(back.TryGetProperty("app_metadata", out _), "an unlinked identity comes back without metadata");
        Assert.Equal("""[{"connection":"sms","provider":"sms","user_id":"560ebaeef609ee1adaa7c551","isSocial":false}]""",
            back.GetProperty("identities").GetRawText());
        Assert.Contains(Seeded.JohnSms, await UserIdsAsync(server));
        Assert.Equal(Seeded.JohnSms, (await tenant.Bearers.SignInWithSmsAsync(Seeded.JohnSmsPhone)).Sub);
    }

    private async Task<List<string?>> UserIdsAsync(string server) =>
        (await _api.GetAsync("users?per_page=100", server)).IsSuccess().Json.EnumerateArray()
            .Select(u => u.GetProperty("user_id").GetString()).ToList();

    private const string John = """{"connection":"google-oauth2","provider":"google-oauth2","user_id":"115015401343387192604","isSocial":true}""";

    private static string? Text(JsonElement json, string name) => json.GetProperty(name).GetString();

    private static string WithoutProfileData(JsonElement identity) =>
        JsonSerializer.Serialize(identity.EnumerateObject().Where(p => p.Name != "profileData").ToDictionary(p => p.Name, p => p.Value));
}
