using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Account;

/// <summary>Where a failed or forged sign-in callback lands: a 400 with a plain message, nothing echoed back.</summary>
public sealed class SignInFailedModel : PageModel
{
    public string Description { get; private set; } = "";

    public void OnGet(string? error)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        if (error == "temporarily_unavailable")
        {
            // The tenant's outage, not the caller's mistake: try again shortly.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "10";
        }
        Description = error switch
        {
            "temporarily_unavailable" => "The identity provider did not answer in time, so you are not signed in. Nothing was changed; try again in a moment.",
            "access_denied" => "The tenant refused the sign-in (access_denied).",
            "login_required" => "The tenant needs you to sign in again (login_required).",
            "invalid_request" => "The tenant rejected the sign-in request (invalid_request).",
            Auth0OidcOptions.StaleLogin => "Your session was ended, and the identity provider answered with a sign-in from before that "
                + "instead of a new one, so you are not signed in. Sign in again with your password or provider.",
            "invalid_callback" => "The sign-in response could not be verified: it was replayed, forged, expired, or started in another browser.",
            null or "" => "The sign-in could not be completed.",
            // Anyone can link here with any text: only a known code is named.
            _ => TenantErrors.Known(error) is var code && code != TenantErrors.Unknown
                ? $"The tenant answered with an error ({code})."
                : "The tenant answered with an error.",
        };
    }
}
