namespace LegacyLinking.Web;

/// <summary>
/// The names of every cookie this app sets. Cookies do not isolate by port, so they must never collide with the local
/// tenant's (<c>ll_tenant_*</c>): each starts with <see cref="Prefix"/>.
/// </summary>
public static class AppCookies
{
    public const string Prefix = "ll_app_";
    public const string Session = Prefix + "session";
    public const string Antiforgery = Prefix + "af";
    public const string TempData = Prefix + "tempdata";
    public const string SessionState = Prefix + "state";

    /// <summary>Says only "this browser's last session was ended: sign in afresh"; holds no identity.</summary>
    public const string FreshSignIn = Prefix + "fresh";

    /// <summary>When the tenant last stalled a page of this browser (the next page's deadline is shorter).</summary>
    public const string TenantStalled = Prefix + "tenant_stalled";
}
