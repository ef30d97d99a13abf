using LegacyLinking.LocalTenant.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Linking;

public static class LinkingSetup
{
    /// <summary>
    /// Link/unlink semantics and the reader for this tenant's own tokens: every linking path (Management API, legacy
    /// <c>/unlink</c>, <c>/authorize?access_token=</c>) needs both.
    /// </summary>
    public static WebApplicationBuilder AddTenantLinking(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AccountLinker>();
        builder.Services.AddScoped<TenantTokenReader>();
        return builder;
    }
}
