using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking;

/// <summary>What the metadata merge wrote into the primary, and which of the secondary's app_metadata keys it left out.</summary>
public sealed record MergeResult(IReadOnlyList<string> UserMetadataKeys, IReadOnlyList<string> AppMetadataKeys, IReadOnlyList<string> LeftOut)
{
    public static readonly MergeResult None = new([], [], []);

    public bool Wrote => UserMetadataKeys.Count > 0 || AppMetadataKeys.Count > 0;

    /// <summary>What was written, in a few words ("color, plan"); empty when nothing.</summary>
    public string Written => string.Join(", ", UserMetadataKeys.Concat(AppMetadataKeys));

    public const string CopiedPrefix = " Copied from that account into yours: ";
    public const string LeftOutPrefix = " Not copied: ";

    /// <summary>The sentences the page adds after "Linked …": what was copied and what was not.</summary>
    public string Describe()
    {
        var copied = Wrote ? $"{CopiedPrefix}{Written}." : "";
        var leftOut = LeftOut.Count > 0
            ? $"{LeftOutPrefix}{string.Join(", ", LeftOut)} (only the settings this app is set to copy are carried over, never those that decide what an account may do)."
            : "";
        return copied + leftOut;
    }
}

/// <summary>
/// What the app does before a Management API link: the account that signed in must be another one than the primary,
/// the one the user chose, and verified when it came from a suggestion; with <c>MergeMetadata</c> on, its metadata is
/// merged into the primary's first (Auth0 discards it on link). The merge never carries authorization across
/// accounts: all of <c>user_metadata</c>, but of <c>app_metadata</c> only the keys in
/// <c>Linking:MergeAppMetadataKeys</c>, which never holds one of <see cref="LinkingOptions.AccessKeys"/>.
/// </summary>
public sealed class LinkPreparation(FlagEvaluator flags, ManagementApiClient management, IOptions<LinkingOptions> options)
{
    /// <summary>Refuses or prepares; answers what the merge wrote and left out.</summary>
    public async Task<MergeResult> PrepareAsync(LinkRequest link, CancellationToken cancellationToken)
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
            : MergeResult.None;
    }

    /// <summary>Merges the secondary's metadata into the primary and PATCHes only what changes.</summary>
    private async Task<MergeResult> MergeMetadataAsync(string primaryId, string secondaryId, CancellationToken cancellationToken)
    {
        var primary = await management.Users.GetAsync(primaryId, cancellationToken: cancellationToken);
        var secondary = await management.Users.GetAsync(secondaryId, cancellationToken: cancellationToken);
        var (carried, leftOut) = MetadataMerge.Select(secondary.AppMetadata, IsCopied);
        var userMetadata = MetadataMerge.Changes(primary.UserMetadata, MetadataMerge.Merge(primary.UserMetadata, secondary.UserMetadata));
        var appMetadata = MetadataMerge.Changes(primary.AppMetadata, MetadataMerge.Merge(primary.AppMetadata, carried));
        var result = new MergeResult(userMetadata.Select(p => p.Key).ToList(), appMetadata.Select(p => p.Key).ToList(), leftOut);
        if (!result.Wrote) return result;
        await management.Users.UpdateAsync(primaryId, new UserUpdateRequest
        {
            UserMetadata = userMetadata.Count > 0 ? userMetadata : null,
            AppMetadata = appMetadata.Count > 0 ? appMetadata : null,
        }, cancellationToken);
        return result;
    }

    /// <summary>Listed by the team (the list holds no key access is decided from: the app does not start otherwise).</summary>
    private bool IsCopied(string key) => options.Value.MergeAppMetadataKeys.Contains(key, StringComparer.Ordinal);
}
