using LegacyLinking.Web.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Flags;

/// <summary>
/// The <c>feature_management</c> section (Microsoft's schema) as far as the start checks read it; the flags themselves
/// are evaluated by Microsoft.FeatureManagement from the same section.
/// </summary>
public sealed class FlagSettings
{
    public const string Section = "feature_management";

    [ConfigurationKeyName("feature_flags")]
    public List<FlagDefinitionSettings> FeatureFlags { get; set; } = [];

    /// <summary>The definition of <paramref name="flag"/> and its configuration key, or null when none has that id.</summary>
    public (FlagDefinitionSettings Definition, string Key)? Find(string flag)
    {
        var index = FeatureFlags.FindIndex(d => d.Id == flag);
        return index < 0 ? null : (FeatureFlags[index], $"{Section}:feature_flags:{index}");
    }
}

public sealed class FlagDefinitionSettings
{
    public string? Id { get; set; }

    /// <summary>Kept as text: a value that is not a boolean is reported, not a binding error.</summary>
    public string? Enabled { get; set; }

    public List<FlagVariantSettings> Variants { get; set; } = [];

    public FlagTelemetrySettings Telemetry { get; set; } = new();
}

public sealed class FlagVariantSettings
{
    public string? Name { get; set; }
}

public sealed class FlagTelemetrySettings
{
    public string? Enabled { get; set; }
}

/// <summary>
/// At start: every flag the app evaluates is defined, its <c>enabled</c> is a boolean, its telemetry is on (the
/// evaluator reads the assignment reason recorded with every request from the telemetry), and Microsoft.FeatureManagement
/// accepts the definition. A definition that is missing because <c>appsettings.json</c> is (the app started from
/// another folder) is named as such: otherwise every flag would silently be off.
/// </summary>
public sealed class FlagSettingsValidator(IHostEnvironment environment, ConfigurationFeatureDefinitionProvider definitions)
    : IValidateOptions<FlagSettings>
{
    public ValidateOptionsResult Validate(string? name, FlagSettings settings)
    {
        if (settings.FeatureFlags.Count == 0)
        {
            var file = Path.Combine(environment.ContentRootPath, "appsettings.json");
            var where = File.Exists(file) ? $"{file} defines none" : $"there is no {file}: start the app from its folder or set --contentRoot";
            return ValidateOptionsResult.Fail(ConfigurationRules.Missing(FlagSettings.Section, $"the definitions of {string.Join(", ", FlagNames.All)} ({where})"));
        }

        var failures = new List<string>();
        foreach (var flag in FlagNames.All)
        {
            if (settings.Find(flag) is not { } found)
            {
                failures.Add(ConfigurationRules.Missing($"{FlagSettings.Section}:feature_flags", $"a flag with \"id\": \"{flag}\""));
                continue;
            }
            var (definition, key) = found;
            var before = failures.Count;
            if (definition.Enabled is { } enabled && !bool.TryParse(enabled, out _))
                failures.Add(ConfigurationRules.Invalid($"{key}:enabled", enabled, "true or false"));
            if (!bool.TryParse(definition.Telemetry.Enabled, out var telemetry) || !telemetry)
                failures.Add(ConfigurationRules.Invalid($"{key}:telemetry:enabled", definition.Telemetry.Enabled ?? "",
                    "true (the reason recorded for each request's flag value comes from the flag's telemetry)"));
            if (failures.Count == before && Rejected(flag) is { } reason)
                failures.Add(ConfigurationRules.Invalid(key, flag, $"a definition Microsoft.FeatureManagement accepts ({reason})"));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What the library says about a definition it cannot read (it would otherwise say so at every evaluation).</summary>
    private string? Rejected(string flag)
    {
        try
        {
            // The configuration provider answers synchronously; start-up validation is synchronous.
            definitions.GetFeatureDefinitionAsync(flag).GetAwaiter().GetResult();
            return null;
        }
        catch (FeatureManagementException e)
        {
            return e.Message.TrimEnd('.');
        }
    }
}
