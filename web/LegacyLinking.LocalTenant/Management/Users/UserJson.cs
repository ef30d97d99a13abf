using System.Globalization;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Oidc;

namespace LegacyLinking.LocalTenant.Management.Users;

/// <summary>Auth0's user object and identity array, leaving out what a user does not have, as Auth0 does.</summary>
public static class UserJson
{
    public static JsonObject User(TenantUser user)
    {
        var json = new JsonObject { ["created_at"] = Auth0Profile.IsoTime(user.CreatedAt) };
        if (user.Email is not null)
        {
            json["email"] = user.Email;
            json["email_verified"] = user.EmailVerified;
        }
        Add(json, "family_name", user.FamilyName);
        Add(json, "given_name", user.GivenName);
        json["identities"] = Identities(user.Identities);
        Add(json, "name", user.Name);
        Add(json, "nickname", user.Nickname);
        if (user.PhoneNumber is not null)
        {
            json["phone_number"] = user.PhoneNumber;
            json["phone_verified"] = user.PhoneVerified;
        }
        Add(json, "picture", user.Picture);
        json["updated_at"] = Auth0Profile.IsoTime(user.UpdatedAt);
        json["user_id"] = user.UserId;
        AddMetadata(json, "user_metadata", user.UserMetadata);
        AddMetadata(json, "app_metadata", user.AppMetadata);
        if (user.LastLogin is { } lastLogin) json["last_login"] = Auth0Profile.IsoTime(lastLogin);
        if (user.LoginsCount > 0) json["logins_count"] = user.LoginsCount;
        if (user.Blocked) json["blocked"] = true;
        return json;
    }

    /// <summary>The primary identity first, then linked ones in link order; linked ones carry their former profile.</summary>
    public static JsonArray Identities(IEnumerable<TenantIdentity> identities) =>
        new([.. identities.OrderBy(i => i.Position).Select(Identity)]);

    private static JsonObject Identity(TenantIdentity identity)
    {
        var json = new JsonObject
        {
            ["connection"] = identity.Connection,
            ["provider"] = identity.Provider,
            ["user_id"] = IdentityUserId(identity),
            ["isSocial"] = identity.IsSocial,
        };
        if (identity.Position > 0 && identity.ProfileData is not null) json["profileData"] = JsonNode.Parse(identity.ProfileData);
        return json;
    }

    /// <summary>GitHub's ids are numbers in Auth0's JSON (clients must accept both); every other provider's are strings.</summary>
    private static JsonNode IdentityUserId(TenantIdentity identity) =>
        identity.Provider == "github" && long.TryParse(identity.ProviderUserId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(identity.ProviderUserId);

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null) json[name] = value;
    }

    /// <summary>Metadata appears only once it has a key (an unlinked user has none).</summary>
    private static void AddMetadata(JsonObject json, string name, string stored)
    {
        if (JsonNode.Parse(stored) is JsonObject { Count: > 0 } metadata) json[name] = metadata;
    }
}
