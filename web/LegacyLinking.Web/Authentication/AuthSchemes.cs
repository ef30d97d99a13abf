namespace LegacyLinking.Web.Authentication;

public static class AuthSchemes
{
    public const string Cookie = "Cookies";
    /// <summary>The primary sign-in against the tenant (Auth0's SDK uses the same scheme name).</summary>
    public const string Auth0 = "Auth0";
    /// <summary>The secondary account's fresh login when linking; never signed in.</summary>
    public const string Auth0Link = "Auth0Link";
    /// <summary>A cookie scheme that refuses every sign-in: the secondary handler's sign-in target, as a tripwire.</summary>
    public const string LinkGuard = "LinkGuard";
}
