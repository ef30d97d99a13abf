using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>The deprecated linking features, each behind its tenant flag, each use noted in the tenant log.</summary>
public static class LegacySetup
{
    private static readonly string[] UrlLoggingCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Http.Result",
        "Microsoft.AspNetCore.Mvc.Infrastructure",
    ];

    public static WebApplicationBuilder AddTenantLegacyFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DeprecationNotes>();
        builder.Services.AddScoped<AuthorizeLinking>();
        // /authorize?access_token=… puts a bearer token in a URL, which then travels in the login page's returnUrl.
        // ASP.NET Core logs full URLs at Information level in the request-start line and when executing redirects;
        // keep those categories quiet whatever the configured levels say, so no token reaches a log.
        foreach (var category in UrlLoggingCategories) builder.Logging.AddFilter(category, LogLevel.Warning);
        return builder;
    }

    public static IEndpointRouteBuilder MapLegacyEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapLegacyUnlink();
}
