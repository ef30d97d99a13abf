using System.Security.Claims;

namespace LegacyLinking.Web.Authentication;

/// <summary>Who may do what: the one definition the policies, the pages and the menus all ask.</summary>
public static class AuthorizationPolicies
{
    /// <summary>Members of the <c>qa</c> group (the tenant's groups claim) may use the QA console and the migration page.</summary>
    public const string Qa = "Qa";

    /// <summary>The claim the tenant's post-login Action fills from the user's <c>app_metadata.groups</c>.</summary>
    public const string GroupsClaim = "https://legacylinking.dev/groups";

    public const string QaGroup = "qa";

    /// <summary>Whether <paramref name="user"/> is one of QA (the <see cref="Qa"/> policy's rule).</summary>
    public static bool IsQa(this ClaimsPrincipal user) => user.HasClaim(GroupsClaim, QaGroup);
}
