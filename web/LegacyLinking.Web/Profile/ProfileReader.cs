using System.Security.Claims;
using System.Text.Json;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Web.Profile;

/// <summary>
/// The profile page's reads, begun together (<see cref="FetchAsync"/>): the user, and the users sharing the email the
/// session signed in with.
/// </summary>
/// <param name="User">The user as the tenant has it (<c>GET /api/v2/users/{id}</c>), or as read within <c>Auth0:UserCacheSeconds</c>.</param>
/// <param name="SameEmail">The suggestions lookup begun beside the user's read, or null when none was begun.</param>
public sealed record ProfileFetch(User User, FlagDecision Suggesting, string? ClaimedEmail, Task<IReadOnlyList<User>>? SameEmail, UserReads Reads);

/// <summary>
/// Builds the profile page's data from the Management API (<c>GET /api/v2/users/{id}</c>: identities with
/// <c>profileData</c>, metadata; <c>users-by-email</c> for suggestions), projected so no IdP token or raw tenant object
/// reaches a view. Both reads go out at once, and through <see cref="UserCache"/>: a repeat view within
/// <c>Auth0:UserCacheSeconds</c> makes no call, and a change this app made is seen at once.
/// </summary>
public sealed class ProfileReader(
    ManagementApiClient management, SuggestionFinder suggestions, UserCache cache, TenantDeadlines deadlines, FlagEvaluator flags, FlowEventRecorder recorder)
{
    private const string UserPart = "user";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The user and, at the same time, the users sharing the verified email of the session's sign-in (when suggestions
    /// are on for this user): two calls side by side instead of one after the other. A failed user read waits for the
    /// lookup beside it before it is thrown, so nothing runs on after the page.
    /// </summary>
    public async Task<ProfileFetch> FetchAsync(string userId, ClaimsPrincipal session, CancellationToken cancellationToken)
    {
        _ = deadlines.Current; // the page's deadline starts before its calls go out side by side, so both share it
        var reads = await cache.ForAsync(userId, cancellationToken);
        var suggesting = await flags.EvaluateAsync(FlagNames.SuggestedLinking, cancellationToken);
        var email = session.FindFirst("email")?.Value;
        var verified = string.Equals(session.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var sameEmail = suggesting.Enabled && !string.IsNullOrWhiteSpace(email) && verified
            ? SameEmailAsync(reads, email!, cancellationToken)
            : null;
        try
        {
            return new ProfileFetch(await ReadUserAsync(reads, userId, cancellationToken), suggesting, email, sameEmail, reads);
        }
        catch (Exception failed) when (sameEmail is not null)
        {
            // Nothing runs on after the page: the lookup beside the read is awaited either way.
            var answered = await AnsweredAsync(sameEmail);
            if (failed is not TenantUnavailableException || !answered) throw;
            // The lookup was answered, so the tenant is there: its circuit, half-open after an outage, let that probe
            // through and refused the read beside it. The probe closed it; the user is read once more.
            return new ProfileFetch(await ReadUserAsync(reads, userId, cancellationToken), suggesting, email, sameEmail, reads);
        }
    }

    private Task<User> ReadUserAsync(UserReads reads, string userId, CancellationToken cancellationToken) =>
        reads.GetAsync(UserPart, ct => management.Users.GetAsync(userId, cancellationToken: ct), cancellationToken);

    private static async Task<bool> AnsweredAsync(Task lookup)
    {
        try
        {
            await lookup;
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    public async Task<UserProfile> ReadAsync(ProfileFetch fetch, CancellationToken cancellationToken)
    {
        var user = fetch.User;
        var suggested = fetch.Suggesting.Enabled ? await SuggestAsync(fetch, cancellationToken) : [];
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

    private Task<IReadOnlyList<User>> SameEmailAsync(UserReads reads, string email, CancellationToken cancellationToken) =>
        reads.GetAsync("same-email:" + email, ct => suggestions.SameEmailAsync(email, ct), cancellationToken);

    /// <summary>
    /// The suggestions, and the lookup recorded (also when answered within <c>Auth0:UserCacheSeconds</c>: the record
    /// counts what users were offered, by which flow); an unverified primary gets none (recorded as refused). Null when
    /// the tenant did not answer or refused the lookup: the identities are still shown, without suggestions. The lookup
    /// begun with the session's email serves when the tenant still has that email; otherwise it is asked again.
    /// </summary>
    private async Task<IReadOnlyList<Suggestion>?> SuggestAsync(ProfileFetch fetch, CancellationToken cancellationToken)
    {
        var (user, reason) = (fetch.User, fetch.Suggesting.Reason);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var eligible = suggestions.TrustsEmailOf(user);
        var useBegun = eligible && fetch.SameEmail is not null && string.Equals(fetch.ClaimedEmail, user.Email, StringComparison.Ordinal);
        try
        {
            IReadOnlyList<Suggestion> found = [];
            if (eligible)
            {
                var sameEmail = useBegun ? await fetch.SameEmail! : await SameEmailAsync(fetch.Reads, user.Email!, cancellationToken);
                found = suggestions.Among(user, sameEmail);
            }
            recorder.Record(new LinkingOutcome(
                "suggest", SuggestionFinder.Flow, reason, eligible ? Outcomes.Ok : Outcomes.Refused, null,
                eligible ? null : "primary_unverified", $"{found.Count} suggestion(s)",
                System.Diagnostics.Stopwatch.GetElapsedTime(started)), user.UserId);
            return found;
        }
        catch (ApiException failed)
        {
            var (outcome, status, code, message) = LinkingOutcome.Describe("suggest", SuggestionFinder.Flow, failed);
            recorder.Record(new LinkingOutcome("suggest", SuggestionFinder.Flow, reason, outcome, status, code, message,
                System.Diagnostics.Stopwatch.GetElapsedTime(started)), user.UserId);
            return null;
        }
        finally
        {
            // Begun but not used (the tenant's email differs, or it is no longer verified): its outcome is not the page's.
            if (!useBegun && fetch.SameEmail is { } unused)
            {
                await Task.WhenAny(unused);
                _ = unused.Exception;
            }
        }
    }
}
