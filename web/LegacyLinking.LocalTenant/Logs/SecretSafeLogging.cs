using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.LocalTenant.Logs;

/// <summary>
/// Floors for the framework log categories that would otherwise write secrets, applied whatever the configured levels
/// say (rules added in code win over configuration for the same category), so turning logging up to Trace to debug
/// the tenant never puts a token in a log file.
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
        foreach (var (category, minimum) in Floors) builder.Logging.AddFilter(category, minimum);
        return builder;
    }
}
