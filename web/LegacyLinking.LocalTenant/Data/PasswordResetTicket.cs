namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// A password-reset link sent to a database identity: single use, short-lived. Only a hash of the link's secret is
/// kept, so a copy of the database does not hold a usable link (the outbox, like a mailbox, does).
/// </summary>
public sealed class PasswordResetTicket
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the secret in the link, lower-case hex.</summary>
    public string SecretHash { get; set; } = "";

    /// <summary>The database identity whose password the ticket sets (its row follows it through link and unlink).</summary>
    public long IdentityId { get; set; }
    public TenantIdentity? Identity { get; set; }

    /// <summary>The application the reset was asked from, if any.</summary>
    public string? ClientId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was used, or voided by another reset of the same password; null while it still works.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
