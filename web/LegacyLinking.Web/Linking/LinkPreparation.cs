using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// What the app does before a Management API link: the account that signed in must be another one than the primary,
/// the one the user chose, and verified when it came from a suggestion; with <c>MergeMetadata</c> on, its metadata is
/// merged into the primary's first (Auth0 discards it on link).
/// </summary>
public sealed class LinkPreparation(FlagEvaluator flags, ManagementApiClient management)
{
    /// <summary>Refuses or prepares; answers what the merge wrote (empty when nothing).</summary>
    public async Task<string> PrepareAsync(LinkRequest link, CancellationToken cancellationToken)
    {
        var (primary, secondary, attempt) = link;
        if (secondary.UserId == primary.UserId)
            throw new LinkingRefusedException("same_account", "That is the account you are signed in with; sign in to the other account to link it.");
        if (attempt.TargetUserId is { } target && secondary.UserId != target)
            throw new LinkingRefusedException("wrong_account", "You signed in to a different account than the one you chose; nothing was linked.");
        if (attempt.TargetUserId is not null && !secondary.EmailVerified)
            throw new LinkingRefusedException("secondary_unverified", "The suggested account's email is not verified; nothing was linked.");

        return await flags.EvaluateAsync(FlagNames.MergeMetadata, cancellationToken) is { Enabled: true }
            ? await MergeMetadataAsync(primary.UserId, secondary.UserId, cancellationToken)
            : "";
    }

    /// <summary>Merges the secondary's metadata into the primary and PATCHes only what changes; says what was written.</summary>
    private async Task<string> MergeMetadataAsync(string primaryId, string secondaryId, CancellationToken cancellationToken)
    {
        var primary = await management.Users.GetAsync(primaryId, cancellationToken: cancellationToken);
        var secondary = await management.Users.GetAsync(secondaryId, cancellationToken: cancellationToken);
        var userMetadata = MetadataMerge.Changes(primary.UserMetadata, MetadataMerge.Merge(primary.UserMetadata, secondary.UserMetadata));
        var appMetadata = MetadataMerge.Changes(primary.AppMetadata, MetadataMerge.Merge(primary.AppMetadata, secondary.AppMetadata));
        if (userMetadata.Count == 0 && appMetadata.Count == 0) return "";
        await management.Users.UpdateAsync(primaryId, new UserUpdateRequest
        {
            UserMetadata = userMetadata.Count > 0 ? userMetadata : null,
            AppMetadata = appMetadata.Count > 0 ? appMetadata : null,
        }, cancellationToken);
        return string.Join("; ", new[] { ("user_metadata", userMetadata), ("app_metadata", appMetadata) }
            .Where(p => p.Item2.Count > 0)
            .Select(p => $"{p.Item1}: {string.Join(", ", p.Item2.Select(kv => kv.Key))}"));
    }
}
