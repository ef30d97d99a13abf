namespace LegacyLinking.LocalTenant.Data;

/// <summary>A one-time code for the <c>sms</c> connection (shown on the page instead of texted: it is a local tenant).</summary>
public sealed class PasswordlessCode
{
    public long Id { get; set; }
    public string Phone { get; set; } = "";
    public string Code { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public int FailedAttempts { get; set; }
    public bool Used { get; set; }
}
