using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Management;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.TenantFlags;

/// <summary>
/// The whole tenant-settings object of <c>GET/PATCH /api/v2/tenants/settings</c>. The flags this tenant acts on live in
/// <see cref="TenantFlagStore"/>; every other setting and Auth0 flag is stored as sent (one JSON document in the
/// <c>meta</c> table) and answered back, though the tenant does not act on it.
/// </summary>
public sealed class TenantSettingsStore(TenantDbContext db, TenantFlagStore flags)
{
    private const string MetaKey = "tenant_settings";

    public static bool IsFlag(string name) => TenantFlagNames.All.Contains(name) || TenantSettingsSchema.Auth0Flags.Contains(name);

    /// <summary>A new tenant's defaults, overlaid with what was stored, and every flag with its value.</summary>
    public async Task<JsonObject> GetAsync(CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(cancellationToken);
        var settings = TenantSettingsSchema.Defaults();
        foreach (var (name, value) in stored.Where(p => p.Key != TenantSettingsSchema.FlagsProperty))
            settings[name] = value?.DeepClone();
        var allFlags = stored[TenantSettingsSchema.FlagsProperty]?.DeepClone() as JsonObject ?? [];
        foreach (var (name, enabled) in await flags.GetAllAsync(cancellationToken)) allFlags[name] = enabled;
        settings[TenantSettingsSchema.FlagsProperty] = new JsonObject(allFlags.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())));
        return new JsonObject(settings.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
    }

    /// <summary>
    /// Auth0's PATCH: the properties sent replace the stored ones (<c>null</c> unsets one), flags are changed one by one
    /// (a local flag sent as <c>null</c> goes back to its configured default). The body must pass <see cref="TenantSettingsSchema"/>.
    /// </summary>
    public async Task UpdateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        TenantSettingsSchema.Validate(body, IsFlag);
        var stored = await ReadAsync(cancellationToken);
        var localFlags = new Dictionary<string, bool?>();
        foreach (var (name, value) in body)
        {
            if (name != TenantSettingsSchema.FlagsProperty)
            {
                if (value is null) stored.Remove(name);
                else stored[name] = value.DeepClone();
                continue;
            }
            var otherFlags = stored[TenantSettingsSchema.FlagsProperty] as JsonObject ?? [];
            foreach (var (flag, enabled) in (JsonObject)value!)
            {
                if (TenantFlagNames.All.Contains(flag)) localFlags[flag] = enabled?.GetValue<bool>();
                else if (enabled is null) otherFlags.Remove(flag);
                else otherFlags[flag] = enabled.GetValue<bool>();
            }
            stored[TenantSettingsSchema.FlagsProperty] = otherFlags;
        }

        var row = await db.Meta.SingleOrDefaultAsync(m => m.Key == MetaKey, cancellationToken);
        if (row is null) db.Meta.Add(row = new TenantMeta { Key = MetaKey });
        row.Value = stored.ToJsonString();
        await db.SaveChangesAsync(cancellationToken);
        if (localFlags.Count > 0) await flags.SetAsync(localFlags, cancellationToken);
    }

    private async Task<JsonObject> ReadAsync(CancellationToken cancellationToken)
    {
        var text = await db.Meta.AsNoTracking().Where(m => m.Key == MetaKey).Select(m => m.Value).SingleOrDefaultAsync(cancellationToken);
        return text is null ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
