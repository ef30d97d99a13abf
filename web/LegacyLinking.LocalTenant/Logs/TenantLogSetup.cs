using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Logs;

public static class TenantLogSetup
{
    /// <summary>The tenant log: its writer, login events, and the OpenIddict handlers that log token exchanges.</summary>
    public static WebApplicationBuilder AddTenantLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<TenantLog>();
        builder.Services.AddScoped<LoginEvents>();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            foreach (var handler in OidcLogEvents.Handlers) server.AddEventHandler(handler);
        });
        return builder;
    }
}
