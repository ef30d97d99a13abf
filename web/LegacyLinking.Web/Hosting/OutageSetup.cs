using LegacyLinking.Web.Outages;

namespace LegacyLinking.Web.Hosting;

public static class OutageSetup
{
    /// <summary>A dependency that does not answer gets a clear 503 page with <c>Retry-After</c>, never a 500.</summary>
    public static WebApplication UseOutagePages(this WebApplication app)
    {
        app.UseMiddleware<OutagePageMiddleware>();
        return app;
    }
}
