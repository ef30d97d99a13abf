using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Outbox;

public static class OutboxSetup
{
    public static WebApplicationBuilder AddTenantOutbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TenantOutbox>();
        return builder;
    }
}
