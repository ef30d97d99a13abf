using LegacyLinking.LocalTenant.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.TenantFlags;

public static class TenantFlagsSetup
{
    /// <summary>Tenant flags: defaults from <c>LocalTenant:Flags</c>, checked at start-up; overrides in the tenant database.</summary>
    public static WebApplicationBuilder AddTenantFlags(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TenantFlagDefaults.From(TenantSettings.From(builder.Configuration).Flags));
        builder.Services.AddScoped<TenantFlagStore>();
        builder.Services.AddScoped<TenantSettingsStore>();
        return builder;
    }
}
