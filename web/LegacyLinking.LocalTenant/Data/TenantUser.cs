namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// A user as Auth0 keeps it: root profile fields, metadata and the identities that sign in as this user
/// (<see cref="Identities"/>, ordered so the primary identity comes first).
/// </summary>
public sealed class TenantUser
{
    /// <summary>Auth0's <c>user_id</c>, <c>provider|id</c> of the primary identity; also the ID token's <c>sub</c>.</summary>
    public string UserId { get; set; } = "";
    public string? Email { get; set; }
    public bool EmailVerified { get; set; }
    public string? Name { get; set; }
    public string? Nickname { get; set; }
    public string? Picture { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? PhoneNumber { get; set; }
    public bool PhoneVerified { get; set; }

    /// <summary>JSON object text; Auth0 merges it shallowly on PATCH, so it is kept as one document.</summary>
    public string UserMetadata { get; set; } = "{}";
    public string AppMetadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastLogin { get; set; }

    /// <summary>Auth0's <c>last_password_reset</c>: when the database identity's password last changed.</summary>
    public DateTimeOffset? LastPasswordReset { get; set; }
    public int LoginsCount { get; set; }
    public bool Blocked { get; set; }

    public List<TenantIdentity> Identities { get; set; } = [];
}
