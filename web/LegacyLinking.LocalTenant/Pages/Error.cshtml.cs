using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Server.AspNetCore;

namespace LegacyLinking.LocalTenant.Pages;

/// <summary>
/// Renders every error that cannot go back to a client: OpenIddict protocol errors (bad redirect_uri, a returnTo that is
/// not allowed), rejected input, unknown paths. Re-executed for any method, so it takes no antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "";
    public string? Error { get; private set; }

    public void OnGet() => Describe();
    public void OnPost() => Describe();

    private void Describe()
    {
        var protocol = HttpContext.GetOpenIddictServerResponse();
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var status = original is null && HttpContext.Features.Get<IExceptionHandlerFeature>() is null
            ? (int?)null
            : Response.StatusCode;

        if (!string.IsNullOrEmpty(protocol?.Error))
        {
            Title = "The sign-in request was rejected";
            Error = protocol.Error;
            Message = protocol.ErrorDescription ?? protocol.Error;
            return;
        }

        (Title, Message) = status switch
        {
            404 => ("Not found", "There is no page at this address."),
            413 or 414 or 431 => ("Request too large", "The request was too large to process."),
            >= 400 and < 500 => ("Bad request", "The request could not be processed. Go back to the application and try again."),
            null => ("Error", "Nothing went wrong, but there is nothing to show here either."),
            _ => ("Something went wrong", "The local tenant could not process the request."),
        };
    }
}
