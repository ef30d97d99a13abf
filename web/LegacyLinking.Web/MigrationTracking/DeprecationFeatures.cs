using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// A deprecated feature as the tenant's <c>depnote</c> events name it. Auth0 names the feature only in the event's
/// <c>description</c> (human text, no promised id), so a feature is recognised by its text: a description matches when
/// it contains every fragment of one of <see cref="Texts"/> (case-insensitive).
/// </summary>
public sealed record DeprecationFeature(string Key, string Name, IReadOnlyList<string[]> Texts)
{
    /// <summary>The tenant flag that switches the feature off (from the flow catalogue, which names both).</summary>
    public string? TenantFlag => FlowCatalogue.Deprecations.Select(d => d.Feature).FirstOrDefault(f => f.DepnoteFeature == Key)?.TenantFlag;

    public bool Matches(string description) =>
        Texts.Any(fragments => fragments.All(f => description.Contains(f, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>
/// The one table of depnote texts this app recognises; its keys are the flow catalogue's depnote features. A text that matches none is kept as
/// <see cref="Unrecognised"/> with its own description and shown on the migration page, never dropped: when the page
/// shows one, add its wording here.
/// </summary>
public static class DeprecationFeatures
{
    public const string Unrecognised = "unrecognised";

    public static readonly IReadOnlyList<DeprecationFeature> Known =
    [
        new("enable_idtoken_api2", "ID token as the Management API bearer",
            [["ID token", "Management API"], ["id_token", "API v2"], ["id_token", "/api/v2"]]),
        new("legacy_unlink_endpoint", "Authentication API /unlink",
            [["/unlink", "deprecat"]]),
        new("authorize_access_token_linking", "Account linking through /authorize",
            [["linking via /authorize"], ["/authorize", "access_token", "link"]]),
    ];

    /// <summary>The feature's key, or <see cref="Unrecognised"/>.</summary>
    public static string Classify(string? description) =>
        description is null ? Unrecognised : Known.FirstOrDefault(f => f.Matches(description))?.Key ?? Unrecognised;

    public static DeprecationFeature? Find(string key) => Known.FirstOrDefault(f => f.Key == key);
}
