using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages;

/// <summary>One page for status codes and unhandled errors: a plain message and a trace id, never a stack trace.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Description { get; private set; } = "";
    public string? TraceId { get; private set; }

    /// <summary>
    /// Described before any handler runs: the page is re-run with the failed request's method, whichever it was (a PUT
    /// answered 405 comes back here as a PUT).
    /// </summary>
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context) =>
        Describe(int.TryParse(Request.Query["code"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null);

    private void Describe(int? code)
    {
        TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        (Title, Description) = code switch
        {
            400 => ("Bad request", "The request was malformed or incomplete."),
            403 => ("Forbidden", "You may not do that."),
            404 => ("Not found", "There is nothing here."),
            405 => ("Method not allowed", "This page does not take that kind of request."),
            null => ("Something went wrong", "The request failed on our side. Nothing was changed by the failed step."),
            _ => ($"Error {code}", "The request could not be completed."),
        };
    }
}
