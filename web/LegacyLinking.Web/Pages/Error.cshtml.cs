using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages;

/// <summary>One page for status codes and unhandled errors: a plain message and a trace id, never a stack trace.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Description { get; private set; } = "";
    public string? TraceId { get; private set; }

    public void OnGet(int? code) => Describe(code);
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        (Title, Description) = code switch
        {
            400 => ("Bad request", "The request was malformed or incomplete."),
            403 => ("Forbidden", "You may not do that."),
            404 => ("Not found", "There is nothing here."),
            405 => ("Method not allowed", "That action needs a form submission."),
            null => ("Something went wrong", "The request failed on our side. Nothing was changed by the failed step."),
            _ => ($"Error {code}", "The request could not be completed."),
        };
    }
}
