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
    /// How recent the primary's own sign-in must be to start a link (linking adds a way to sign in, so an unattended
    /// session must not be able to do it); older sessions are asked to sign in again first.
    /// </summary>
    [Range(1, 86_400)]
    public int PrimaryReauthenticationSeconds { get; set; } = 600;

    public static readonly string[] DefaultConnections = ["Username-Password-Authentication", "google-oauth2", "github", "facebook", "sms"];

    public IReadOnlyList<string> EffectiveConnections => Connections.Count > 0 ? Connections : DefaultConnections;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Connections.Select((connection, index) => (connection, index))
            .Where(c => string.IsNullOrWhiteSpace(c.connection))
            .Select(c => new ValidationResult(ConfigurationRules.Invalid($"{Section}:Connections:{c.index}", c.connection ?? "", "a connection name such as google-oauth2")));
}
