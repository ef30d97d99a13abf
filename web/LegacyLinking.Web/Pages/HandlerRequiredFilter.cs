using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LegacyLinking.Web.Pages;

/// <summary>
/// Razor Pages renders a page even when none of its handlers takes the request's method (a PUT, a TRACE, a POST to a
/// page that only reads), without the data its handler would have loaded: a page that needs it then fails with a 500.
/// Such requests are answered 405 with <c>Allow</c>.
/// </summary>
public sealed class HandlerRequiredFilter : IPageFilter
{
    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is not null) return;
        var http = context.HttpContext;
        // The error page, re-run for a failed request: it answers whatever that request's method was.
        if (http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerPathFeature>() is not null) return;
        var handlers = context.ActionDescriptor.HandlerMethods;
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
