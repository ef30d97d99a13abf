namespace LegacyLinking.Web.Profile;

/// <summary>A sign-in method as a person knows it: its name ("Google") and a small mark drawn by the page itself.</summary>
/// <param name="Mark">The letters of the mark (no third-party image: the profile page loads nothing from another host).</param>
/// <param name="Style">The CSS class that colours the mark.</param>
public sealed record ProviderLabel(string Name, string Mark, string Style);

/// <summary>
/// Names the tenant's connections and providers ("google-oauth2", "Username-Password-Authentication", "sms") the way the
/// people who use them do. An unknown connection keeps its own name: a real tenant may have connections this list lacks.
/// </summary>
public static class Providers
{
    private static readonly Dictionary<string, ProviderLabel> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Username-Password-Authentication"] = new("Email and password", "@", "mark-password"),
        ["auth0"] = new("Email and password", "@", "mark-password"),
        ["google-oauth2"] = new("Google", "G", "mark-google"),
        ["github"] = new("GitHub", "GH", "mark-github"),
        ["facebook"] = new("Facebook", "f", "mark-facebook"),
        ["windowslive"] = new("Microsoft", "M", "mark-other"),
        ["apple"] = new("Apple", "A", "mark-other"),
        ["linkedin"] = new("LinkedIn", "in", "mark-other"),
        ["sms"] = new("Phone", "#", "mark-phone"),
        ["email"] = new("Email code", "@", "mark-password"),
    };

    /// <summary>By connection first (a database connection's provider is always <c>auth0</c>), then by provider.</summary>
    public static ProviderLabel Of(string? connection, string? provider = null)
    {
        if (connection is not null && Known.TryGetValue(connection, out var byConnection)) return byConnection;
        if (provider is not null && Known.TryGetValue(provider, out var byProvider)) return byProvider;
        var name = connection ?? provider ?? "Other";
        return new ProviderLabel(name, name[..1].ToUpperInvariant(), "mark-other");
    }
}
