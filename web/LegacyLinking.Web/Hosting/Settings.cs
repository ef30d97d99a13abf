using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class SettingsSetup
{
    /// <summary>
    /// Binds configuration section <paramref name="section"/> to <typeparamref name="T"/>, checked when the app starts
    /// (<see cref="SettingsValidator{T}"/>): a bad value stops the start with one line naming its key, the value and
    /// what is expected, instead of failing every request that reads it. Answers the values as bound now, for the
    /// few choices made while composing the app; a bad one is then reported at start like any other.
    /// </summary>
    public static T AddSettings<T>(this IHostApplicationBuilder builder, string section) where T : class, new()
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<T>().Configure(options => SettingsBinder.Bind(configuration.GetSection(section), options)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(configuration, section));
        var now = new T();
        SettingsBinder.Bind(configuration.GetSection(section), now);
        return now;
    }
}

/// <summary>
/// Binds a settings class property by property. A value that does not convert is left at the property's default (the
/// validator reports it), so reading settings never throws: the start check says what is wrong, by key.
/// </summary>
public static class SettingsBinder
{
    public static void Bind(IConfigurationSection section, object target)
    {
        foreach (var property in Properties(target.GetType()))
        {
            var child = section.GetSection(KeyOf(property));
            if (!IsScalar(property.PropertyType))
            {
                if (child.GetChildren().Any()) property.SetValue(target, child.Get(property.PropertyType));
            }
            else if (!string.IsNullOrWhiteSpace(child.Value) && TryConvert(child.Value, property.PropertyType, out var value))
            {
                property.SetValue(target, value);
            }
        }
    }

    public static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetSetMethod() is not null);

    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    public static bool IsScalar(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(string) || underlying == typeof(int) || underlying == typeof(double) || underlying == typeof(bool) || underlying.IsEnum;
    }

    /// <summary>Invariant culture; an enum by one of its names in any case (never by number).</summary>
    public static bool TryConvert(string raw, Type type, out object? value)
    {
        var text = raw.Trim();
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        if (underlying == typeof(string)) value = raw;
        else if (underlying == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) value = number;
        else if (underlying == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)) value = real;
        else if (underlying == typeof(bool) && bool.TryParse(text, out var flag)) value = flag;
        else if (underlying.IsEnum && Enum.GetNames(underlying).FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
            value = Enum.Parse(underlying, name);
        return value is not null;
    }
}

/// <summary>
/// The start check of a settings class: every value converts to its property's type, then meets the property's
/// <see cref="RangeAttribute"/> and <see cref="RequiredAttribute"/>; rules across properties come from the class's
/// own <see cref="IValidatableObject"/>. Each failure is one line (<see cref="ConfigurationRules.Invalid"/>).
/// </summary>
public sealed class SettingsValidator<T>(IConfiguration configuration, string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        foreach (var property in SettingsBinder.Properties(typeof(T)))
        {
            var key = $"{section}:{SettingsBinder.KeyOf(property)}";
            var raw = configuration[key];
            if (SettingsBinder.IsScalar(property.PropertyType) && !string.IsNullOrWhiteSpace(raw) && !SettingsBinder.TryConvert(raw, property.PropertyType, out _))
            {
                failures.Add(ConfigurationRules.Invalid(key, raw, Expected(property)));
                continue;
            }
            var value = property.GetValue(options);
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
                if (!rule.IsValid(value))
                    failures.Add(rule is RequiredAttribute ? ConfigurationRules.Missing(key, Expected(property)) : ConfigurationRules.Invalid(key, raw ?? "", Expected(property)));
        }
        if (failures.Count == 0 && options is IValidatableObject rules)
            failures.AddRange(rules.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? $"Configuration '{section}' is invalid."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Expected(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = property.GetCustomAttribute<RangeAttribute>();
        if (type.IsEnum) return string.Join(" or ", Enum.GetNames(type));
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int)) return range is null ? "a whole number" : $"a whole number from {range.Minimum} to {range.Maximum}";
        if (type == typeof(double)) return range is null ? "a number" : $"a number from {Format(range.Minimum)} to {Format(range.Maximum)}";
        return property.GetCustomAttribute<DisplayAttribute>()?.Description ?? "a value";
    }

    private static string Format(object bound) => Convert.ToString(bound, CultureInfo.InvariantCulture)!;
}
