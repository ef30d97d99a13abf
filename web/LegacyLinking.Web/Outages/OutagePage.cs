using System.Globalization;
using System.Text.Encodings.Web;
using LegacyLinking.Web.Authentication;
using Microsoft.Net.Http.Headers;

namespace LegacyLinking.Web.Outages;

/// <summary>
/// The 503 page for an outage, written directly rather than through the Razor error page: re-running the pipeline
/// would meet the same outage again (the sign-in itself may need the database). Plain words for everyone; the failure
/// itself only for the QA group.
/// </summary>
public static class OutagePage
{
    /// <summary>Headers the pipeline set before the failure that the answer keeps (the rest is cleared with it).</summary>
    private static readonly string[] KeptHeaders = [HeaderNames.ContentSecurityPolicy, "Referrer-Policy", HeaderNames.XContentTypeOptions];

    public static async Task WriteAsync(HttpContext http, Outage outage, string? detail)
    {
        var kept = KeptHeaders.Where(http.Response.Headers.ContainsKey).Select(h => (h, http.Response.Headers[h])).ToList();
        http.Response.Clear();
        foreach (var (name, value) in kept) http.Response.Headers[name] = value;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = ((int)outage.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(Html(http, outage, detail), http.RequestAborted);
    }

    private static string Html(HttpContext http, Outage outage, string? detail)
    {
        var html = HtmlEncoder.Default;
        var request = http.Request;
        // A GET is simply tried again; after a form post only the page itself is reloaded, never the post.
        var retry = request.PathBase + request.Path + (HttpMethods.IsGet(request.Method) ? request.QueryString.ToString() : "");
        var forQa = detail is not null && http.User.IsQa()
            ? $"""<p class="muted" data-test="outage-detail">For the QA group: the {html.Encode(outage.Dependency)}: {html.Encode(detail)}</p>"""
            : "";
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{{html.Encode(outage.Title)}} · LegacyLinking</title>
                <link rel="stylesheet" href="{{html.Encode(request.PathBase + "/css/site.css")}}" />
            </head>
            <body>
            <header class="topbar"><a class="brand" href="{{html.Encode(request.PathBase + "/")}}">LegacyLinking</a></header>
            <main>
                <section class="card" data-test="outage" data-dependency="{{html.Encode(outage.Dependency)}}">
                    <h1>{{html.Encode(outage.Title)}}</h1>
                    <p data-test="error">{{html.Encode(outage.Message)}}</p>
                    <p><a class="button" href="{{html.Encode(retry)}}" data-test="retry">Try again</a></p>
                    {{forQa}}
                </section>
            </main>
            </body>
            </html>
            """;
    }
}
