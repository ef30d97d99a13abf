namespace LegacyLinking.Web.Linking;

/// <summary>The <c>Linking</c> section.</summary>
public sealed class LinkingOptions
{
    /// <summary>Connections a user may link (anything else posted is refused).</summary>
    public List<string> Connections { get; set; } = [];

    /// <summary>How old the secondary's login may be when its callback arrives (it is forced with max_age=0).</summary>
    public int MaxSecondaryLoginAgeSeconds { get; set; } = 300;

    /// <summary>
    /// How recent the primary's own sign-in must be to start a link (linking adds a way to sign in, so an unattended
    /// session must not be able to do it); older sessions are asked to sign in again first.
    /// </summary>
    public int PrimaryReauthenticationSeconds { get; set; } = 600;

    public static readonly string[] DefaultConnections = ["Username-Password-Authentication", "google-oauth2", "github", "facebook", "sms"];

    public IReadOnlyList<string> EffectiveConnections => Connections.Count > 0 ? Connections : DefaultConnections;
}
