using System.Text.Json;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.Profile;

/// <summary>
/// Builds the profile page's data from the Management API (<c>GET /api/v2/users/{id}</c>: identities with
/// <c>profileData</c>, metadata), projected so no IdP token or raw tenant object reaches a view.
/// </summary>
public sealed class ProfileReader(ManagementApiClient management, SuggestionFinder suggestions, FlagEvaluator flags)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<UserProfile> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await management.Users.GetAsync(userId, cancellationToken: cancellationToken);
        var suggested = (await flags.EvaluateAsync(FlagNames.SuggestedLinking, cancellationToken)).Enabled
            ? await suggestions.FindAsync(user, cancellationToken)
            : [];
        return new UserProfile(
            user.UserId,
            user.FullName,
            user.NickName,
            user.Picture,
            user.Email,
            user.EmailVerified,
            user.Identities.Select((identity, index) => new ProfileIdentity(
                identity.Provider,
                identity.UserId,
                identity.Connection,
                IsPrimary: index == 0,
                ProfileData: identity.ProfileData?
                    .Where(p => p.Value is not null && p.Key is not ("access_token" or "refresh_token" or "access_token_secret"))
                    .Select(p => KeyValuePair.Create(p.Key, p.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString()))
                    .ToList() ?? [])).ToList(),
            user.UserMetadata?.ToJsonString(Indented),
            user.AppMetadata?.ToJsonString(Indented),
            suggested);
    }
}
