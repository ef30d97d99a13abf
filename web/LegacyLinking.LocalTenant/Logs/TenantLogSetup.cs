using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Logs;

public static class TenantLogSetup
{
    public static WebApplicationBuilder AddTenantLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TenantLog>();
        builder.Services.AddScoped<LoginEvents>();
        return builder;
    }
}
