using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.LocalTenant.Logs;

/// <summary>
/// Floors for the framework log categories that would otherwise write secrets: whatever the configured levels say,
/// these categories never log below their floor, so turning logging up to Trace to debug the tenant never puts a
/// token in a log file. A floor only ever raises a level; a quieter configuration stays as it is.
/// </summary>
public static class SecretSafeLogging
{
    private static readonly (string Category, LogLevel Minimum)[] Floors =
    [
        // OpenIddict writes every token it creates or validates at Trace.
        ("OpenIddict", LogLevel.Debug),
        // /authorize?access_token=… carries a bearer token in the URL, and on into the login page's returnUrl.
        // ASP.NET Core writes full URLs in the request-start line and when executing redirects (Information).
        ("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning),
        ("Microsoft.AspNetCore.Http.Result", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure", LogLevel.Warning),
    ];

    public static WebApplicationBuilder AddSecretSafeLogging(this WebApplicationBuilder builder)
    {
        builder.Services.PostConfigure<LoggerFilterOptions>(ApplyFloors);
        return builder;
    }

    /// <summary>
    /// Adds, per provider, a rule for each floored category at the stricter of the floor and the level the configured
    /// rules give that category (the most specific rule wins, and the last of equals: these come last), and raises
    /// any configured rule for a sub-category that goes below the floor.
    /// </summary>
    private static void ApplyFloors(LoggerFilterOptions options)
    {
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
        foreach (var (category, minimum) in Floors)
        {
            foreach (var provider in providers)
            {
                var configured = options.Rules
                    .Where(r => r.Filter is null && (r.ProviderName is null || r.ProviderName == provider)
                        && (r.CategoryName is null || category.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(r => r.ProviderName is null ? 0 : 1).ThenBy(r => r.CategoryName?.Length ?? 0)
                    .LastOrDefault()?.LogLevel ?? options.MinLevel;
                options.Rules.Add(new LoggerFilterRule(provider, category, Max(configured, minimum), null));
            }
            for (var i = 0; i < options.Rules.Count; i++)
            {
                var rule = options.Rules[i];
                if (rule.CategoryName?.StartsWith(category + ".", StringComparison.OrdinalIgnoreCase) == true
                    && (rule.LogLevel ?? LogLevel.Trace) < minimum)
                    options.Rules[i] = new LoggerFilterRule(rule.ProviderName, rule.CategoryName, minimum, rule.Filter);
            }
        }
    }

    private static LogLevel Max(LogLevel? configured, LogLevel minimum) =>
        (configured ?? LogLevel.Trace) > minimum ? configured!.Value : minimum;
}
