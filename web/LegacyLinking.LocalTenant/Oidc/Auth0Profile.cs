using System.Globalization;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// The profile claims Auth0 puts in ID tokens and /userinfo, by scope. One source for both so they never disagree.
/// </summary>
public static class Auth0Profile
{
    public static JsonObject For(TenantUser user, IReadOnlyCollection<string> scopes)
    {
        var claims = new JsonObject();
        if (scopes.Contains(Scopes.Profile))
        {
            Add(claims, Claims.Name, user.Name);
            Add(claims, Claims.Nickname, user.Nickname);
            Add(claims, Claims.Picture, user.Picture);
            Add(claims, Claims.GivenName, user.GivenName);
            Add(claims, Claims.FamilyName, user.FamilyName);
            claims[Claims.UpdatedAt] = IsoTime(user.UpdatedAt);
        }
        if (scopes.Contains(Scopes.Email) && user.Email is not null)
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailVerified;
        }
        if (scopes.Contains(Scopes.Phone) && user.PhoneNumber is not null)
        {
            claims[Claims.PhoneNumber] = user.PhoneNumber;
            claims[Claims.PhoneNumberVerified] = user.PhoneVerified;
        }
        if (Groups(user) is { Count: > 0 } groups) claims[TenantClaims.Groups] = groups;
        return claims;
    }

    /// <summary>Auth0's timestamp format, e.g. <c>2024-05-01T09:30:00.000Z</c>.</summary>
    public static string IsoTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonArray? Groups(TenantUser user)
    {
        var groups = (JsonNode.Parse(user.AppMetadata) as JsonObject)?["groups"] as JsonArray;
        return groups is null
            ? null
            : new JsonArray(groups.Where(g => g?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                .Select(g => (JsonNode?)JsonValue.Create(g!.GetValue<string>())).ToArray());
    }

    private static void Add(JsonObject claims, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) claims[name] = value;
    }
}
