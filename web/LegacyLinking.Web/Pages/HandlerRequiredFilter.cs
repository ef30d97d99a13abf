using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LegacyLinking.Web.Pages;

/// <summary>
/// Razor Pages renders a page even when none of its handlers takes the request's method (a PUT, a TRACE, a POST to a
/// page that only reads), without the data its handler would have loaded: a page that needs it then fails with a 500.
/// Such requests are answered 405 with <c>Allow</c>. A request naming a handler the page has not got for its method
/// (<c>GET /Profile?handler=Unlink</c>) would run the page's unnamed handler instead, as if it named none: it is answered
/// 405 when another method has that handler, 404 when none has.
/// </summary>
public sealed class HandlerRequiredFilter : IPageFilter
{
    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var http = context.HttpContext;
        // Where Razor Pages reads the handler's name from: the route, else the query.
        var named = context.RouteData.Values["handler"] as string is { Length: > 0 } routed ? routed : http.Request.Query["handler"].FirstOrDefault();
        if (string.IsNullOrEmpty(named)) named = null;
        if (context.HandlerMethod is { } selected && (named is null || string.Equals(selected.Name, named, StringComparison.OrdinalIgnoreCase))) return;
        // The error page, re-run for a failed request: it answers whatever that request's method was.
        if (http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerPathFeature>() is not null) return;
        var handlers = context.ActionDescriptor.HandlerMethods.Where(h => named is null || string.Equals(h.Name, named, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named is not null && handlers.Count == 0)
        {
            context.Result = new NotFoundResult();
            return;
        }
        var method = http.Request.Method;
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        if (handlers.Count == 0 && isRead) return; // a page without a model: nothing to load

        var allowed = handlers.Select(h => h.HttpMethod.ToUpperInvariant()).ToList();
        if (handlers.Count == 0 || allowed.Contains("GET")) allowed.AddRange(["GET", "HEAD"]);
        http.Response.Headers.Allow = string.Join(", ", allowed.Distinct());
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
