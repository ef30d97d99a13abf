using System.Globalization;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

/// <summary>Runs at start (ValidateOnStart): a timeout, deadline or break out of its range stops the app naming its key.</summary>
public sealed class Auth0HttpOptionsValidator : IValidateOptions<Auth0HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, Auth0HttpOptions options)
    {
        var failures = new List<string>();
        void Check(string key, double value, double min, double max)
        {
            if (double.IsNaN(value) || value < min || value > max)
                failures.Add($"Configuration '{Auth0HttpOptions.Section}:{key}' is invalid: got '{value.ToString(CultureInfo.InvariantCulture)}', expected a number from {min} to {max}.");
        }
        Check(nameof(options.MaxRetryAttempts), options.MaxRetryAttempts, 0, 10);
        Check(nameof(options.MaxRetryDelaySeconds), options.MaxRetryDelaySeconds, 0, 3_600);
        Check(nameof(options.AttemptTimeoutSeconds), options.AttemptTimeoutSeconds, 0.1, 600);
        Check(nameof(options.TotalTimeoutSeconds), options.TotalTimeoutSeconds, 0.1, 3_600);
        Check(nameof(options.PageDeadlineSeconds), options.PageDeadlineSeconds, 0.5, 300);
        Check(nameof(options.CircuitBreakSeconds), options.CircuitBreakSeconds, 0.5, 3_600);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
