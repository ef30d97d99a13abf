using System.Text.Json;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Web.Profile;

/// <summary>
/// Builds the profile page's data from the Management API (<c>GET /api/v2/users/{id}</c>: identities with
/// <c>profileData</c>, metadata), projected so no IdP token or raw tenant object reaches a view.
/// </summary>
public sealed class ProfileReader(ManagementApiClient management, SuggestionFinder suggestions, FlagEvaluator flags, FlowEventRecorder recorder)
{
    /// <summary>The flow name recorded for suggestion lookups: the immediately consistent users-by-email endpoint.</summary>
    public const string SuggestionFlow = "UsersByEmail";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The user as the tenant has it now (<c>GET /api/v2/users/{id}</c>).</summary>
    public Task<User> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        management.Users.GetAsync(userId, cancellationToken: cancellationToken);

    public async Task<UserProfile> ReadAsync(User user, CancellationToken cancellationToken)
    {
        var decision = await flags.EvaluateAsync(FlagNames.SuggestedLinking, cancellationToken);
        var suggested = decision.Enabled ? await SuggestAsync(user, decision.Reason, cancellationToken) : [];
        return new UserProfile(
            user.UserId,
            user.FullName,
            user.NickName,
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
            suggested ?? [],
            SuggestionsUnavailable: suggested is null);
    }

    /// <summary>
    /// Looks up suggestions and records the request; an unverified primary gets none (recorded as refused). Null when the
    /// tenant did not answer or refused the lookup: the identities are still shown, without suggestions.
    /// </summary>
    private async Task<IReadOnlyList<Suggestion>?> SuggestAsync(User user, string reason, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var eligible = !string.IsNullOrWhiteSpace(user.Email) && user.EmailVerified;
        try
        {
            var found = eligible ? await suggestions.FindAsync(user, cancellationToken) : [];
            recorder.Record(new LinkingOutcome(
                "suggest", SuggestionFlow, reason, eligible ? Outcomes.Ok : Outcomes.Refused, null,
                eligible ? null : "primary_unverified", $"{found.Count} suggestion(s)",
                System.Diagnostics.Stopwatch.GetElapsedTime(started)), user.UserId);
            return found;
        }
        catch (ApiException failed)
        {
            var (outcome, status, code, message) = LinkingOutcome.Describe("suggest", SuggestionFlow, failed);
            recorder.Record(new LinkingOutcome("suggest", SuggestionFlow, reason, outcome, status, code, message,
                System.Diagnostics.Stopwatch.GetElapsedTime(started)), user.UserId);
            return null;
        }
    }
}
