using LegacyLinking.Web.Data;

namespace LegacyLinking.Web.Outages;

/// <summary>
/// Turns a failure that means "a dependency is not answering" into the 503 outage page with <c>Retry-After</c>,
/// wherever in the request it happened (the session store, a page, the QA console's writes). Other errors go on to the
/// error page.
/// </summary>
public sealed class OutagePageMiddleware(RequestDelegate next, ILogger<OutagePageMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception error) when (Outage.Of(error) is { } outage && !http.Response.HasStarted)
        {
            var detail = outage == Outage.Database && http.RequestServices.GetService<DatabaseFile>() is { VanishedAt: { } since } file
                ? $"its file {file.Path} is gone (since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC): records wait in the journal until the app runs on a database again"
                : Innermost(error);
            logger.LogWarning("The {Dependency} did not answer {Method} {Path}: {Detail}", outage.Dependency, http.Request.Method, http.Request.Path, detail);
            // Where in the app the dependency was needed, for whoever turns debug logging on.
            logger.LogDebug(error, "The {Dependency} outage met on {Path}", outage.Dependency, http.Request.Path);
            await OutagePage.WriteAsync(http, outage, detail);
        }
    }

    // The driver's own words (e.g. "database is locked", "Failed to connect to 127.0.0.1:5432"), never a stack trace.
    private static string Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException is not null) e = e.InnerException;
        var line = e.Message.Split('\n', 2)[0].Trim();
        return $"{e.GetType().Name}: {(line.Length > 300 ? line[..300] + "…" : line)}";
    }
}
