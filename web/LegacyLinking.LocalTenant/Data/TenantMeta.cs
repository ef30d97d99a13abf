namespace LegacyLinking.LocalTenant.Data;

/// <summary>Key/value facts about the database itself (its schema version).</summary>
public sealed class TenantMeta
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
