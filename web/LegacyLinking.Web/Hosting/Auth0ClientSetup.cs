using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace LegacyLinking.Web.Hosting;

public static class Auth0ClientSetup
{
    /// <summary>Typed clients for the tenant's Authentication and Management APIs, with Auth0-aware retries.</summary>
    public static IHostApplicationBuilder AddAuth0Clients(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddSettings<Auth0HttpOptions>(Auth0HttpOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ManagementTokenCache>();

        services.AddHttpClient<AuthenticationApiClient>((sp, http) => Configure(sp, http, ""))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<TenantTrust>().CreateHandler())
            .AddAuth0Resilience("auth0-authentication");
        services.AddTransient<ServerTokenRejections>();
        services.AddHttpClient<ManagementApiClient>((sp, http) => Configure(sp, http, "api/v2/"))
            .AddHttpMessageHandler<ServerTokenRejections>()
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<TenantTrust>().CreateHandler())
            .AddAuth0Resilience("auth0-management");
        // The background log reader paces itself against the tenant's rate limit: a timeout, but no retries.
        services.AddHttpClient<LogsClient>((sp, http) => Configure(sp, http, "api/v2/"))
            .AddHttpMessageHandler<ServerTokenRejections>()
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<TenantTrust>().CreateHandler())
            .AddResilienceHandler("auth0-logs", (pipeline, context) => pipeline.AddTimeout(TimeSpan.FromSeconds(
                context.ServiceProvider.GetRequiredService<IOptions<Auth0HttpOptions>>().Value.AttemptTimeoutSeconds)));
        return builder;
    }

    private static void Configure(IServiceProvider services, HttpClient http, string path)
    {
        http.BaseAddress = new Uri(services.GetRequiredService<Auth0Tenant>().AuthorityText + "/" + path);
        // Timeouts are the resilience pipeline's job; this only stops a request that outlives the whole pipeline.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    private static void AddAuth0Resilience(this IHttpClientBuilder client, string name) =>
        client.AddResilienceHandler(name, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<Auth0HttpOptions>>().Value;
            var clock = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
            pipeline.AddRetry(RateLimitRetry.Create(options, clock));
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
        });
}
