using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class LocalTenantSetup
{
    public const string EnabledKey = "LocalTenant:Enabled";

    /// <summary>
    /// When no Auth0:Domain is configured, the app starts the local tenant in-process and talks to it over HTTP — in the
    /// Development environment, or elsewhere only with <c>LocalTenant:Enabled=true</c>: a deployment that lost its
    /// <c>Auth0__Domain</c> must not quietly serve a fake tenant whose passwords are in the repository. Otherwise the
    /// start fails like any bad setting, with one line naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddEmbeddedLocalTenant(this IHostApplicationBuilder builder)
    {
        var local = string.IsNullOrWhiteSpace(builder.Configuration["Auth0:Domain"]);
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<LocalTenantOptions>()
            .Validate(options => !local || development || options.Enabled,
                $"Configuration '{EnabledKey}' is not true: Auth0:Domain is empty and the embedded local tenant (test users with known " +
                $"passwords) starts outside Development only with {EnabledKey}=true; set Auth0:Domain to use a real tenant.")
            .ValidateOnStart();
        builder.Services.AddHostedService<EmbeddedLocalTenant>();
        return builder;
    }
}

/// <summary>Runs the local tenant beside the app for as long as the app runs; does nothing for a real tenant.</summary>
public sealed class EmbeddedLocalTenant(
    Auth0Tenant tenant,
    IOptions<LocalTenantOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<EmbeddedLocalTenant> logger) : IHostedService
{
    private LocalTenantHost? _host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!tenant.IsLocal) return;

        var settings = configuration.GetSection(LocalTenantOptions.Section).AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["LocalTenant:Url"] = tenant.AuthorityText;
        var dataPath = options.Value.ResolveDataPath(environment);
        settings["LocalTenant:DataPath"] = dataPath;

        _host = await LocalTenantHost.StartAsync(settings, cancellationToken);
        logger.LogInformation(
            "Auth0:Domain is empty: started the embedded local tenant at {TenantUrl} (data {DataPath}); set Auth0:Domain to use a real tenant.",
            tenant.AuthorityText, dataPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
