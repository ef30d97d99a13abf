using LegacyLinking.Web.Auth0;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace LegacyLinking.Web.Hosting;

public static class Auth0ClientSetup
{
    /// <summary>
    /// Typed clients for the tenant's Authentication and Management APIs, with Auth0-aware retries, and the sign-in's
    /// back channel: all of them within the page's deadline and behind one circuit breaker for the tenant.
    /// </summary>
    public static IHostApplicationBuilder AddAuth0Clients(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddSettings<Auth0HttpOptions>(Auth0HttpOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<ManagementTokenCache>();
        services.AddSingleton<TenantDeadlines>();
        services.AddSingleton<TenantCircuit>();
        services.AddTransient<TenantDeadlineHandler>();
        services.AddTransient<ServerErrorAsFailureHandler>();

        services.AddHttpClient<AuthenticationApiClient>((sp, http) => Configure(sp, http, ""))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<TenantTrust>().CreateHandler())
            .AddHttpMessageHandler<TenantDeadlineHandler>()
            .AddAuth0Resilience("auth0-authentication");
        services.AddTransient<ServerTokenRejections>();
        services.AddMemoryCache();
        services.AddSingleton<Profile.UserCache>();
        services.AddTransient<Profile.UserChangesHandler>();
        services.AddHttpClient<ManagementApiClient>((sp, http) => Configure(sp, http, "api/v2/"))
            .AddHttpMessageHandler<Profile.UserChangesHandler>()
            .AddHttpMessageHandler<ServerTokenRejections>()
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<TenantTrust>().CreateHandler())
            .AddHttpMessageHandler<TenantDeadlineHandler>()
            .AddAuth0Resilience("auth0-management");

        // The OpenID Connect handlers' discovery, key and token requests: one attempt each (a code is redeemed once).
        services.AddHttpClient(TenantBackchannel.ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<TenantTrust>().CreateHandler())
            .AddHttpMessageHandler<TenantDeadlineHandler>()
            .AddHttpMessageHandler<ServerErrorAsFailureHandler>()
            .AddResilienceHandler("auth0-backchannel", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<Auth0HttpOptions>>().Value;
                pipeline.AddPipeline(context.ServiceProvider.GetRequiredService<TenantCircuit>().Pipeline);
                pipeline.AddTimeout(DeadlineTimeout(context.ServiceProvider, options.AttemptTimeoutSeconds));
            });
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, TenantBackchannel>();
        services.AddSingleton<IPostConfigureOptions<OpenIdConnectOptions>, TenantBackchannel>();
        // After the first page (FirstPageGate): building the clients it calls through is a tenth of a cold start's CPU.
        services.AddSingleton<TenantDiscoveryWarmUp>();
        services.AddHostedServiceAfterFirstPage<TenantDiscoveryWarmUp>();

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
            var services = context.ServiceProvider;
            var options = services.GetRequiredService<IOptions<Auth0HttpOptions>>().Value;
            var clock = services.GetRequiredService<TimeProvider>();
            var deadlines = services.GetRequiredService<TenantDeadlines>();
            // Not capped by the page's deadline: the attempt's timeout is, and retries stop with it. Capped here too,
            // this would race it and cancel the attempt rather than time it out, which the circuit does not count.
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
            pipeline.AddRetry(RateLimitRetry.Create(options, clock, () => deadlines.Current?.Remaining));
            pipeline.AddPipeline(services.GetRequiredService<TenantCircuit>().Pipeline);
            pipeline.AddTimeout(DeadlineTimeout(services, options.AttemptTimeoutSeconds));
        });

    /// <summary>A timeout of <paramref name="seconds"/>, or what is left of the page's time for the tenant when that is less.</summary>
    private static TimeoutStrategyOptions DeadlineTimeout(IServiceProvider services, double seconds)
    {
        var deadlines = services.GetRequiredService<TenantDeadlines>();
        var limit = TimeSpan.FromSeconds(seconds);
        return new TimeoutStrategyOptions
        {
            TimeoutGenerator = _ => ValueTask.FromResult(deadlines.Cap(limit)),
            OnTimeout = _ =>
            {
                deadlines.Current?.MarkStalled();
                return default;
            },
        };
    }
}
