using LegacyLinking.LocalTenant.Management.Identities;
using LegacyLinking.LocalTenant.Management.Jobs;
using LegacyLinking.LocalTenant.Management.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// The Management API v2 subset at <c>/api/v2</c>. Every route lives in one group, so whatever must wrap the whole API
/// (rate limiting, fault injection, a call log) is one more filter or convention on <see cref="MapTenantManagementApi"/>.
/// </summary>
public static class ManagementApiSetup
{
    public const string BasePath = "/api/v2";

    public static WebApplicationBuilder AddTenantManagementApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<UserEditor>();
        builder.Services.AddScoped<ManagementAuditFilter>();
        builder.Services.AddScoped<ManagementBearerFilter>();
        return builder;
    }

    public static RouteGroupBuilder MapTenantManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath);
        // Outermost first: the audit log sees the final status, errors become Auth0's body, then the bearer is checked.
        api.AddEndpointFilter<ManagementAuditFilter>();
        api.AddEndpointFilter<ManagementErrorFilter>();
        api.AddEndpointFilter<ManagementBearerFilter>();

        api.MapUsers().MapIdentities().MapTenantSettings().MapLogs().MapJobs();
        // Unknown routes answer in the API's JSON shape, not with the login UI's error page.
        api.Map("/{**path}", (string? path) => ManagementResults.Error(ManagementErrors.RouteNotFound()));
        return api;
    }
}
