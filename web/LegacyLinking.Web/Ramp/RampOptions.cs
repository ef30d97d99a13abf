using System.ComponentModel.DataAnnotations;

namespace LegacyLinking.Web.Ramp;

/// <summary>The <c>Ramp</c> section: how often the ramp engine runs and how long its lease lasts.</summary>
public sealed class RampOptions : IValidatableObject
{
    public const string Section = "Ramp";

    /// <summary>Seconds between the engine's runs; no ramp moves faster than its plan whatever this is.</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 15;

    /// <summary>Seconds an engine holds the lease without renewing it: how long a dead instance keeps the ramp stopped.</summary>
    [Range(2, 86_400)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>False: this instance never runs the engine (its allocation still follows the plans).</summary>
    public bool Engine { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseSeconds <= IntervalSeconds)
            yield return new ValidationResult(Hosting.ConfigurationRules.Invalid($"{Section}:LeaseSeconds", LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"more than {Section}:IntervalSeconds ({IntervalSeconds}), or the lease lapses between two runs and another instance takes it"));
    }
}
