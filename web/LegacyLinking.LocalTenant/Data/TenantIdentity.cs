namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// One way of signing in (an Auth0 identity). Credentials live here rather than on the user, so linking an identity
/// under another user (moving its row) keeps it usable for sign-in, and unlinking can rebuild a standalone user
/// from <see cref="ProfileData"/>.
/// </summary>
public sealed class TenantIdentity
{
    public long Id { get; set; }

    /// <summary>The owning (primary) user.</summary>
    public string UserId { get; set; } = "";
    public TenantUser? User { get; set; }

    /// <summary>0 for the primary identity; linked identities follow in link order.</summary>
    public int Position { get; set; }

    public string Provider { get; set; } = "";

    /// <summary>Auth0's identity <c>user_id</c>: the part after <c>provider|</c>.</summary>
    public string ProviderUserId { get; set; } = "";
    public string Connection { get; set; } = "";
    public bool IsSocial { get; set; }

    /// <summary>JSON object text with the root profile this identity had before it was linked; null while it is primary.</summary>
    public string? ProfileData { get; set; }

    /// <summary>Lower-case email (database connection) or E.164 phone (sms) used to find the identity at sign-in.</summary>
    public string? LoginName { get; set; }

    /// <summary>ASP.NET Core PasswordHasher output; database connection only.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>
    /// The upstream IdP's access token, which Auth0 keeps on a social identity and renews at each login through it.
    /// GET user returns it as <c>identities[].access_token</c> only to a caller with <c>read:user_idp_tokens</c>.
    /// </summary>
    public string? IdpAccessToken { get; set; }

    /// <summary>Auth0's <c>sub</c> form of this identity, <c>provider|user_id</c>.</summary>
    public string Sub => $"{Provider}|{ProviderUserId}";
}
