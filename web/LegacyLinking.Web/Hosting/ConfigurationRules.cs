namespace LegacyLinking.Web.Hosting;

/// <summary>
/// What a bad setting says: every start check (<see cref="SettingsValidator{T}"/> and the sections' own validators)
/// words its failures here.
/// </summary>
public static class ConfigurationRules
{
    /// <summary>The one line a bad setting stops the start with: the key, the value and what is expected.</summary>
    public static string Invalid(string key, string value, string expected) =>
        $"Configuration '{key}' is invalid: got '{value}', expected {expected}.";

    /// <summary>The one line a missing setting stops the start with.</summary>
    public static string Missing(string key, string expected) => $"Configuration '{key}' is missing: expected {expected}.";

    public static InvalidOperationException InvalidSetting(string key, string value, string expected) => new(Invalid(key, value, expected));
}
