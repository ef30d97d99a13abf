namespace LegacyLinking.LocalTenant.Data;

/// <summary>A tenant (SSO) session; its id is the ID token's <c>sid</c>. Ending it here invalidates the cookie everywhere.</summary>
public sealed class TenantSession
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string IdentitySub { get; set; } = "";
    public string Connection { get; set; } = "";
    public DateTimeOffset AuthTime { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
}
