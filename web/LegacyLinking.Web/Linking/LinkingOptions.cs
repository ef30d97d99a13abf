using System.ComponentModel.DataAnnotations;
using LegacyLinking.Web.Hosting;

namespace LegacyLinking.Web.Linking;

/// <summary>The <c>Linking</c> section.</summary>
public sealed class LinkingOptions : IValidatableObject
{
    public const string Section = "Linking";

    /// <summary>Connections a user may link (anything else posted is refused).</summary>
    public List<string> Connections { get; set; } = [];

    /// <summary>How old the secondary's login may be when its callback arrives (it is forced with max_age=0).</summary>
    [Range(10, 3_600)]
    public int MaxSecondaryLoginAgeSeconds { get; set; } = 300;

    /// <summary>
    /// How recent the primary's own sign-in must be to link or unlink (either changes who can sign in as the user, so
    /// an unattended session must not be able to do it); older sessions are asked to sign in again first.
    /// </summary>
    [Range(1, 86_400)]
    public int PrimaryReauthenticationSeconds { get; set; } = 600;

    /// <summary>
    /// The <c>app_metadata</c> keys the metadata merge may copy from the secondary (none by default: app_metadata is
    /// what the tenant and its Actions decide access from, and the secondary's is not the user's to carry over).
    /// </summary>
    public List<string> MergeAppMetadataKeys { get; set; } = [];

    /// <summary>
    /// The app_metadata keys that decide access in this app, never merged even when listed: <c>groups</c> is what the
    /// tenant's post-login Action copies into the groups claim (the QA console, the migration page, flag targeting);
    /// <c>roles</c> and <c>permissions</c> are where Auth0's own RBAC and most Actions keep authorization.
    /// </summary>
    public static readonly IReadOnlyList<string> AccessKeys = ["groups", "roles", "permissions"];

    public static bool IsAccessKey(string key) => AccessKeys.Contains(key.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Connections whose <c>email_verified</c> the app does not believe: ones that pass on whatever their upstream IdP
    /// claims without verifying it (an enterprise or custom OIDC connection, Azure AD's common endpoint, a SAML IdP). A
    /// user of one neither gets nor is offered "same verified email" suggestions, so an email typed into such an IdP
    /// can never lead to someone else's account (pre-hijacking through a non-verifying IdP).
    /// </summary>
    public List<string> UntrustedEmailConnections { get; set; } = [];

    /// <summary>The user's <c>email_verified</c>, believed only from a connection not listed as untrusted.</summary>
    public bool HasTrustedVerifiedEmail(Auth0.User user) =>
        user.EmailVerified && !string.IsNullOrWhiteSpace(user.Email)
        && !UntrustedEmailConnections.Contains(user.Identities.FirstOrDefault()?.Connection ?? "", StringComparer.OrdinalIgnoreCase);

    public static readonly string[] DefaultConnections = ["Username-Password-Authentication", "google-oauth2", "github", "facebook", "sms"];

    public IReadOnlyList<string> EffectiveConnections => Connections.Count > 0 ? Connections : DefaultConnections;

    /// <summary>Every connection named; no listed app_metadata key grants access.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (connection, index) in Connections.Select((c, i) => (c, i)).Where(c => string.IsNullOrWhiteSpace(c.c)))
            yield return new ValidationResult(ConfigurationRules.Invalid($"{Section}:Connections:{index}", connection ?? "", "a connection name such as google-oauth2"));
        foreach (var (connection, index) in UntrustedEmailConnections.Select((c, i) => (c, i)).Where(c => string.IsNullOrWhiteSpace(c.c)))
            yield return new ValidationResult(ConfigurationRules.Invalid($"{Section}:{nameof(UntrustedEmailConnections)}:{index}", connection ?? "", "a connection name such as evil-oidc"));
        foreach (var key in MergeAppMetadataKeys)
        {
            var setting = $"{Section}:{nameof(MergeAppMetadataKeys)}";
            if (string.IsNullOrWhiteSpace(key))
                yield return new ValidationResult(ConfigurationRules.Invalid(setting, key ?? "", "app_metadata key names"));
            else if (IsAccessKey(key))
                yield return new ValidationResult(ConfigurationRules.Invalid(setting, key,
                    $"keys that grant no access: {string.Join(", ", AccessKeys)} decide what a user may do and are never copied from another account"));
        }
    }
}
