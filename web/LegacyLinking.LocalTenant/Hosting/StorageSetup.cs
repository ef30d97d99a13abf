using LegacyLinking.LocalTenant.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The SQLite file at <c>LocalTenant:DataPath</c>, with the cookie protection keys kept beside it.</summary>
public static class StorageSetup
{
    public static WebApplicationBuilder AddTenantStorage(this WebApplicationBuilder builder)
    {
        var dataPath = TenantSettings.From(builder.Configuration).ResolveDataPath();
        var dataDirectory = Path.GetDirectoryName(dataPath)!;

        builder.Services.AddDbContext<TenantDbContext>(options =>
        {
            options.UseSqlite($"Data Source={dataPath}");
            options.UseOpenIddict();
        });
        builder.Services.AddSingleton<TenantDatabase>();
        builder.Services.AddScoped<TenantSeeder>();
        builder.Services.AddSingleton<IPasswordHasher<TenantIdentity>, PasswordHasher<TenantIdentity>>();
        builder.Services.TryAddTimeProvider();

        // Sessions survive a tenant restart; the key ring is the tenant's own even when it runs inside the app.
        builder.Services.AddDataProtection()
            .SetApplicationName("LegacyLinking.LocalTenant")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "localtenant-keys")));
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>Creates or upgrades the database and applies the seed before the first request.</summary>
    public static WebApplication InitializeTenantStore(this WebApplication app)
    {
        app.Services.GetRequiredService<TenantDatabase>().EnsureInitialized();
        return app;
    }
}
