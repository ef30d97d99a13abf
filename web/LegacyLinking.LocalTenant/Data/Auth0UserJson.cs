using System.Globalization;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Oidc;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// Auth0's user object (as GET /api/v2/users/{id} returns it) from the stored rows: root profile, identities with the
/// primary first, metadata. What a user does not have is left out, not null: as in Auth0's recorded answers, a user
/// who never signed in has no <c>logins_count</c>/<c>last_login</c>, and one without metadata has no metadata keys.
/// </summary>
public static class Auth0UserJson
{
    /// <param name="idpTokens">The caller may read IdP tokens (<c>read:user_idp_tokens</c>): identities carry theirs.</param>
    public static JsonObject User(TenantUser user, bool idpTokens = false)
    {
        var json = new JsonObject { ["created_at"] = Auth0Profile.IsoTime(user.CreatedAt) };
        if (user.Email is not null)
        {
            json["email"] = user.Email;
            json["email_verified"] = user.EmailVerified;
        }
        json.AddIfPresent("family_name", user.FamilyName);
        json.AddIfPresent("given_name", user.GivenName);
        json["identities"] = Identities(user.Identities, idpTokens);
        json.AddIfPresent("name", user.Name);
        json.AddIfPresent("nickname", user.Nickname);
        if (user.PhoneNumber is not null)
        {
            json["phone_number"] = user.PhoneNumber;
            json["phone_verified"] = user.PhoneVerified;
        }
        json.AddIfPresent("picture", user.Picture);
        json["updated_at"] = Auth0Profile.IsoTime(user.UpdatedAt);
        json["user_id"] = user.UserId;
        AddMetadata(json, "user_metadata", user.UserMetadata);
        AddMetadata(json, "app_metadata", user.AppMetadata);
        if (user.LastLogin is { } lastLogin) json["last_login"] = Auth0Profile.IsoTime(lastLogin);
        if (user.LoginsCount > 0) json["logins_count"] = user.LoginsCount;
        if (user.LastPasswordReset is { } reset) json["last_password_reset"] = Auth0Profile.IsoTime(reset);
        if (user.Blocked) json["blocked"] = true;
        return json;
    }

    /// <summary>The primary identity first, then linked ones in link order; linked ones carry their former profile.</summary>
    public static JsonArray Identities(IEnumerable<TenantIdentity> identities, bool idpTokens = false) =>
        new([.. identities.OrderBy(i => i.Position).Select(i => Identity(i, idpTokens))]);

    /// <summary>
    /// The body of a link (201) or unlink (200): the primary's identities, where (as in Auth0's recorded answers) the
    /// primary identity, too, carries a profileData, its user's root profile.
    /// </summary>
    public static JsonArray LinkResponse(TenantUser primary)
    {
        var identities = Identities(primary.Identities);
        if (identities.FirstOrDefault() is JsonObject main) main["profileData"] = ProfileData.Of(primary);
        return identities;
    }

    public static JsonObject Identity(TenantIdentity identity) => Identity(identity, idpTokens: false);

    private static JsonObject Identity(TenantIdentity identity, bool idpTokens)
    {
        var json = new JsonObject
        {
            ["connection"] = identity.Connection,
            ["provider"] = identity.Provider,
            ["user_id"] = IdentityUserId(identity),
            ["isSocial"] = identity.IsSocial,
        };
        if (identity.Position > 0 && identity.ProfileData is not null) json["profileData"] = JsonNode.Parse(identity.ProfileData);
        if (idpTokens && identity.IdpAccessToken is { } token) json["access_token"] = token;
        return json;
    }

    /// <summary>GitHub's ids are numbers in Auth0's JSON (clients must accept both); every other provider's are strings.</summary>
    private static JsonNode IdentityUserId(TenantIdentity identity) =>
        identity.Provider == "github" && long.TryParse(identity.ProviderUserId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(identity.ProviderUserId);

    private static void AddMetadata(JsonObject json, string name, string stored)
    {
        if (JsonNode.Parse(stored) is JsonObject { Count: > 0 } metadata) json[name] = metadata;
    }
}

public static class JsonObjectExtensions
{
    /// <summary>Sets <paramref name="name"/> only when there is a value: Auth0 leaves absent properties out rather than sending null.</summary>
    public static JsonObject AddIfPresent(this JsonObject json, string name, string? value)
    {
        if (value is not null) json[name] = value;
        return json;
    }
}
