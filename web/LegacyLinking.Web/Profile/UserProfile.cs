using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.Profile;

/// <summary>What the profile page shows: a projection, so no IdP token or raw tenant object reaches a view.</summary>
public sealed record UserProfile(
    string UserId,
    string? Name,
    string? Nickname,
    string? Picture,
    string? Email,
    bool EmailVerified,
    IReadOnlyList<ProfileIdentity> Identities,
    string? UserMetadataJson,
    string? AppMetadataJson,
    IReadOnlyList<Suggestion> Suggestions);

public sealed record ProfileIdentity(
    string Provider,
    string UserId,
    string? Connection,
    bool IsPrimary,
    IReadOnlyList<KeyValuePair<string, string>> ProfileData)
{
    public string Sub => $"{Provider}|{UserId}";
}
