using LegacyLinking.Web.Hosting;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking;

/// <summary>The <c>Linking</c> section.</summary>
public sealed class LinkingOptions
{
    public const string Section = "Linking";

    /// <summary>Connections a user may link (anything else posted is refused).</summary>
    public List<string> Connections { get; set; } = [];

    /// <summary>How old the secondary's login may be when its callback arrives (it is forced with max_age=0).</summary>
    public int MaxSecondaryLoginAgeSeconds { get; set; } = 300;

    /// <summary>
    /// How recent the primary's own sign-in must be to link or unlink (either changes who can sign in as the user, so
    /// an unattended session must not be able to do it); older sessions are asked to sign in again first.
    /// </summary>
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

    public static readonly string[] DefaultConnections = ["Username-Password-Authentication", "google-oauth2", "github", "facebook", "sms"];

    public IReadOnlyList<string> EffectiveConnections => Connections.Count > 0 ? Connections : DefaultConnections;
}

/// <summary>At start: the windows are sane and no listed app_metadata key grants access.</summary>
public sealed class LinkingOptionsValidator : IValidateOptions<LinkingOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkingOptions options)
    {
        var failures = new List<string>();
        foreach (var key in options.MergeAppMetadataKeys)
        {
            if (string.IsNullOrWhiteSpace(key))
                failures.Add(ConfigurationRules.Invalid($"{LinkingOptions.Section}:{nameof(LinkingOptions.MergeAppMetadataKeys)}", key ?? "",
                    "app_metadata key names"));
            else if (LinkingOptions.IsAccessKey(key))
                failures.Add(ConfigurationRules.Invalid($"{LinkingOptions.Section}:{nameof(LinkingOptions.MergeAppMetadataKeys)}", key,
                    $"keys that grant no access: {string.Join(", ", LinkingOptions.AccessKeys)} decide what a user may do and are never "
                    + "copied from another account"));
        }
        Window(failures, nameof(LinkingOptions.PrimaryReauthenticationSeconds), options.PrimaryReauthenticationSeconds, 86_400);
        Window(failures, nameof(LinkingOptions.MaxSecondaryLoginAgeSeconds), options.MaxSecondaryLoginAgeSeconds, 3_600);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Window(List<string> failures, string property, int value, int max)
    {
        if (value < 1 || value > max)
            failures.Add(ConfigurationRules.Invalid($"{LinkingOptions.Section}:{property}", value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"a whole number of seconds from 1 to {max}"));
    }
}
