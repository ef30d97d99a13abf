using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace LegacyLinking.Web.Pages;

/// <summary>
/// TempData lives in a cookie, and its status messages may quote what a request or the tenant sent. Each text is cut
/// to <see cref="MaxTextLength"/> characters, so nothing a request sends can grow the cookie past a few kilobytes (a
/// cookie too large for the server's header limit locks the browser out: every request, sign-out included, answers 431).
/// </summary>
public sealed class BoundedTempDataProvider(ITempDataProvider inner) : ITempDataProvider
{
    public const int MaxTextLength = 1_000;

    public IDictionary<string, object> LoadTempData(HttpContext context) => inner.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        var bounded = values.ToDictionary(kv => kv.Key, kv => kv.Value is string { Length: > MaxTextLength } text
            ? text[..(MaxTextLength - 1)] + "…"
            : kv.Value);
        inner.SaveTempData(context, bounded);
    }
}
