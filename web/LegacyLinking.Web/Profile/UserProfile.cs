using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.Profile;

/// <summary>What the profile page shows: a projection, so no IdP token or raw tenant object reaches a view.</summary>
public sealed record UserProfile(
    string UserId,
    string? Name,
    string? Nickname,
    string? Email,
    bool EmailVerified,
    IReadOnlyList<ProfileIdentity> Identities,
    string? UserMetadataJson,
    string? AppMetadataJson,
    IReadOnlyList<Suggestion> Suggestions)
{
    /// <summary>
    /// What the avatar shows. The user's picture (an IdP URL: Google, Gravatar) is not shown: the page that starts a
    /// link must hold no third-party content, and a fetch to a host that cannot be reached
    /// holds the page's load event.
    /// </summary>
    public string Initials =>
        string.Concat((Name ?? Nickname ?? Email ?? "?").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));
}

public sealed record ProfileIdentity(
    string Provider,
    string UserId,
    string? Connection,
    bool IsPrimary,
    IReadOnlyList<KeyValuePair<string, string>> ProfileData)
{
    public string Sub => $"{Provider}|{UserId}";
}
