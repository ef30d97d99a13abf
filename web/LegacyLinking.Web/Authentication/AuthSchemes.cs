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

    // Cookies do not isolate by port, so the app's names must never collide with the tenant's (ll_tenant_*).
    public const string CookiePrefix = "ll_app_";
    public const string SessionCookie = "ll_app_session";
    public const string AntiforgeryCookie = "ll_app_af";
    public const string TempDataCookie = "ll_app_tempdata";
    public const string SessionStateCookie = "ll_app_state";
    /// <summary>Says only "this browser's last session was ended: sign in afresh"; holds no identity.</summary>
    public const string FreshSignInCookie = "ll_app_fresh";
}
