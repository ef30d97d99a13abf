using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>The scopes this tenant grants. Anything else a client asks for is dropped silently, as Auth0 does.</summary>
public static class TenantScopes
{
    public static readonly IReadOnlyList<string> Oidc = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Phone, Scopes.OfflineAccess];

    /// <summary>Management API scopes a user may get for themself (audience <c>{url}/api/v2/</c>).</summary>
    public static readonly IReadOnlyList<string> ManagementCurrentUser =
    [
        "read:current_user",
        "update:current_user_identities",
        "update:current_user_metadata",
        "create:current_user_metadata",
        "delete:current_user_metadata",
    ];

    /// <summary>Requested scopes in request order, limited to what the audience allows.</summary>
    public static IReadOnlyList<string> Grant(IEnumerable<string> requested, bool managementAudience) =>
        requested.Distinct(StringComparer.Ordinal)
            .Where(s => Oidc.Contains(s) || (managementAudience && ManagementCurrentUser.Contains(s)))
            .ToList();
}
