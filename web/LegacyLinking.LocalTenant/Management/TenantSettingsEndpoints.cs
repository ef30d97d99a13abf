using System.Text.Json;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.TenantFlags;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// <c>GET/PATCH /tenants/settings</c>, limited to the <c>flags</c> this tenant has. PATCH merges the flags sent into
/// the stored ones; a flag sent as <c>null</c> goes back to its configured default (a local extension).
/// </summary>
public static class TenantSettingsEndpoints
{
    private const string Flags = "flags";

    public static RouteGroupBuilder MapTenantSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/settings", GetAsync).Operation("Get tenant settings", [ReadTenantSettings]);
        api.MapPatch("/tenants/settings", UpdateAsync).Operation("Update tenant settings", [UpdateTenantSettings]);
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, TenantFlagStore flags)
    {
        var fields = new ManagementQuery(http.Request.Query, "fields", "include_fields").Fields();
        return ManagementResults.Ok(fields.Apply(await SettingsAsync(flags, http.RequestAborted)));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, TenantFlagStore flags)
    {
        var body = await ManagementBody.ReadObjectAsync(http.Request, [Flags]);
        var changes = new Dictionary<string, bool?>();
        foreach (var (name, value) in ManagementBody.OptionalObject(body, Flags) ?? [])
        {
            if (!TenantFlagNames.All.Contains(name))
                throw ManagementErrors.InvalidBody($"'Additional properties not allowed: {name}' on property flags (Flags used to change the behavior of this tenant).");
            changes[name] = value?.GetValueKind() switch
            {
                null => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw ManagementBody.WrongType($"flags.{name}", "boolean", value),
            };
        }
        await flags.SetAsync(changes, http.RequestAborted);
        return ManagementResults.Ok(await SettingsAsync(flags, http.RequestAborted));
    }

    private static async Task<JsonObject> SettingsAsync(TenantFlagStore flags, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (name, enabled) in await flags.GetAllAsync(cancellationToken)) values[name] = enabled;
        return new JsonObject { [Flags] = values };
    }
}
