using LegacyLinking.LocalTenant.Keys;
using LegacyLinking.LocalTenant.Legacy;
using LegacyLinking.LocalTenant.Linking;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Management;
using LegacyLinking.LocalTenant.Oidc;
using LegacyLinking.LocalTenant.Outbox;
using LegacyLinking.LocalTenant.PasswordReset;
using LegacyLinking.LocalTenant.RateLimiting;
using LegacyLinking.LocalTenant.TenantFlags;
using LegacyLinking.LocalTenant.TestControls;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The tenant's composition root, shared by its own Program and <see cref="LocalTenantHost"/>.</summary>
public static class LocalTenantApp
{
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public static WebApplication Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        StartupTimeline.Mark("tenant: build");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Pages, views and the seed file belong to this assembly even when another app hosts it.
            ApplicationName = typeof(LocalTenantApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The seed is the base layer: environment variables, command-line arguments and then settings override it.
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "localtenant.json",
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Optional = false,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);

        StartupTimeline.Mark("tenant: builder created");
        builder.AddSecretSafeLogging();
        builder.AddTenantAddress();
        builder.AddTenantProxy();
        builder.AddTenantStorage();
        builder.AddTenantKeys();
        builder.AddTenantOidc();
        builder.AddTenantLoginUi();
        builder.AddTenantCors();
        builder.AddTenantLogs();
        builder.AddTenantOutbox();
        builder.AddTenantPasswordReset();
        builder.AddTenantFlags();
        builder.AddTenantLinking();
        builder.AddTenantManagementApi();
        builder.AddTenantLegacyFeatures();
        builder.AddTenantRateLimits();
        builder.AddTenantTestControls();

        StartupTimeline.Mark("tenant: services added");
        var app = builder.Build();
        StartupTimeline.Mark("tenant: built");
        app.InitializeTenantStore();
        StartupTimeline.Mark("tenant: store initialized");
        app.UseTenantPipeline();
        StartupTimeline.Mark("tenant: pipeline");
        return app;
    }

    public static Uri UrlOf(IConfiguration configuration)
    {
        var raw = configuration["LocalTenant:Url"];
        if (string.IsNullOrWhiteSpace(raw)) raw = DefaultUrl;
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            throw new InvalidOperationException($"LocalTenant:Url must be an absolute http(s) URL; got '{raw}'.");
        return url;
    }
}
