namespace LegacyLinking.Web.Flags;

/// <summary>
/// Overrides that only the QA user's own browser session sees (ASP.NET Core session, server-side). They end with
/// the session, so they never leak to other users or instances.
/// </summary>
public sealed class SessionFlagOverrides(IHttpContextAccessor http)
{
    private const string Prefix = "flag-override:";

    public string? Get(string flag)
    {
        var session = Session();
        return session is not null && session.IsAvailable ? session.GetString(Prefix + flag) : null;
    }

    public void Set(string flag, string? value)
    {
        var session = Session() ?? throw new InvalidOperationException("Session overrides need a request with a session.");
        if (value is null) session.Remove(Prefix + flag);
        else session.SetString(Prefix + flag, value);
    }

    private ISession? Session()
    {
        var context = http.HttpContext;
        return context?.Features.Get<Microsoft.AspNetCore.Http.Features.ISessionFeature>()?.Session;
    }
}
