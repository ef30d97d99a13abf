using LegacyLinking.LocalTenant.TenantFlags;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// <c>GET/PATCH /tenants/settings</c>: Auth0's tenant-settings object (<see cref="TenantSettingsSchema"/>), stored by
/// <see cref="TenantSettingsStore"/>. PATCH answers the whole object as it now stands.
/// </summary>
public static class TenantSettingsEndpoints
{
    public static RouteGroupBuilder MapTenantSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/settings", GetAsync).Operation("Get tenant settings", [ReadTenantSettings]);
        api.MapPatch("/tenants/settings", UpdateAsync).Operation("Update tenant settings", [UpdateTenantSettings]);
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, TenantSettingsStore settings)
    {
        var fields = new ManagementQuery(http.Request.Query, "fields", "include_fields").Fields();
        return ManagementResults.Ok(fields.Apply(await settings.GetAsync(http.RequestAborted)));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, TenantSettingsStore settings)
    {
        _ = new ManagementQuery(http.Request.Query);
        var body = await ManagementBody.ReadObjectAsync(http.Request, TenantSettingsSchema.AllowedProperties);
        await settings.UpdateAsync(body, http.RequestAborted);
        return ManagementResults.Ok(await settings.GetAsync(http.RequestAborted));
    }
}
