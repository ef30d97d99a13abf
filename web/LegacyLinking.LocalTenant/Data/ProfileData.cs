using System.Text.Json;
using System.Text.Json.Nodes;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// A user's root profile as Auth0 keeps it in <c>identities[n].profileData</c> once the user is linked under another,
/// and the way back when the identity is unlinked and becomes a user again.
/// </summary>
public static class ProfileData
{
    public static JsonObject Of(TenantUser user)
    {
        var data = new JsonObject().AddIfPresent("email", user.Email);
        if (user.Email is not null) data["email_verified"] = user.EmailVerified;
        data.AddIfPresent("name", user.Name).AddIfPresent("nickname", user.Nickname).AddIfPresent("picture", user.Picture)
            .AddIfPresent("given_name", user.GivenName).AddIfPresent("family_name", user.FamilyName)
            .AddIfPresent("phone_number", user.PhoneNumber);
        if (user.PhoneNumber is not null) data["phone_verified"] = user.PhoneVerified;
        return data;
    }

    /// <summary>Sets the root profile of <paramref name="user"/> from stored profileData (absent keys stay empty).</summary>
    public static void ApplyTo(TenantUser user, string? profileData)
    {
        var data = JsonNode.Parse(profileData ?? "{}") as JsonObject ?? [];
        user.Email = Text(data, "email");
        user.EmailVerified = Flag(data, "email_verified");
        user.Name = Text(data, "name");
        user.Nickname = Text(data, "nickname");
        user.Picture = Text(data, "picture");
        user.GivenName = Text(data, "given_name");
        user.FamilyName = Text(data, "family_name");
        user.PhoneNumber = Text(data, "phone_number");
        user.PhoneVerified = Flag(data, "phone_verified");
    }

    private static string? Text(JsonObject data, string key) =>
        data[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool Flag(JsonObject data, string key) => data[key]?.GetValueKind() == JsonValueKind.True;
}
