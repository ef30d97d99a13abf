namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>Claim names beyond the OIDC standard ones.</summary>
public static class TenantClaims
{
    /// <summary>The namespaced claim an Auth0 Action would add from <c>app_metadata.groups</c>.</summary>
    public const string Groups = "https://legacylinking.dev/groups";

    /// <summary>Auth0's grant-type marker on client_credentials access tokens.</summary>
    public const string GrantType = "gty";
    public const string SessionId = "sid";
    public const string AuthTime = "auth_time";

    /// <summary>
    /// Private: the identity (<c>provider|id</c>) that signed in. Kept only inside codes and refresh tokens so a
    /// token request can re-read the user, even if the identity has been linked under another user since.
    /// </summary>
    public const string IdentityUsed = "ll_identity";
}
