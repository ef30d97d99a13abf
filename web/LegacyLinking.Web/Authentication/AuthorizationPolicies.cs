namespace LegacyLinking.Web.Authentication;

public static class AuthorizationPolicies
{
    /// <summary>Members of the <c>qa</c> group (the tenant's groups claim) may use the QA console and the migration page.</summary>
    public const string Qa = "Qa";
}
