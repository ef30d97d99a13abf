namespace LegacyLinking.LocalTenant.TenantFlags;

/// <summary>A tenant flag set through <c>PATCH /api/v2/tenants/settings</c>; flags without a row use the configured default.</summary>
public sealed class TenantFlagOverride
{
    public string Name { get; set; } = "";
    public bool Enabled { get; set; }
}
