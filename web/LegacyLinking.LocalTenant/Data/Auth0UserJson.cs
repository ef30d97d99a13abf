using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Oidc;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// Auth0's user object (as GET /api/v2/users/{id} returns it) from the stored rows: root profile, identities with the
/// primary first, metadata. Absent values are left out, as Auth0 does.
/// </summary>
public static class Auth0UserJson
{
    public static JsonObject User(TenantUser user)
    {
        var json = new JsonObject { ["user_id"] = user.UserId };
        Add(json, "email", user.Email);
        if (user.Email is not null) json["email_verified"] = user.EmailVerified;
        Add(json, "name", user.Name);
        Add(json, "nickname", user.Nickname);
        Add(json, "picture", user.Picture);
        Add(json, "given_name", user.GivenName);
        Add(json, "family_name", user.FamilyName);
        Add(json, "phone_number", user.PhoneNumber);
        if (user.PhoneNumber is not null) json["phone_verified"] = user.PhoneVerified;
        json["created_at"] = Auth0Profile.IsoTime(user.CreatedAt);
        json["updated_at"] = Auth0Profile.IsoTime(user.UpdatedAt);
        if (user.LastLogin is { } lastLogin) json["last_login"] = Auth0Profile.IsoTime(lastLogin);
        json["logins_count"] = user.LoginsCount;
        if (user.Blocked) json["blocked"] = true;
        json["identities"] = new JsonArray(user.Identities.OrderBy(i => i.Position).Select(i => (JsonNode)Identity(i)).ToArray());
        json["user_metadata"] = JsonNode.Parse(user.UserMetadata);
        json["app_metadata"] = JsonNode.Parse(user.AppMetadata);
        return json;
    }

    public static JsonObject Identity(TenantIdentity identity)
    {
        var json = new JsonObject
        {
            ["provider"] = identity.Provider,
            ["user_id"] = identity.ProviderUserId,
            ["connection"] = identity.Connection,
            ["isSocial"] = identity.IsSocial,
        };
        if (identity.ProfileData is not null) json["profileData"] = JsonNode.Parse(identity.ProfileData);
        return json;
    }

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null) json[name] = value;
    }
}
