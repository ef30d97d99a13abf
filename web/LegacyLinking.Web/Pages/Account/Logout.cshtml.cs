using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Account;

/// <summary>
/// Logout is a POST with an antiforgery token (a GET only shows the confirmation), so no other site can sign a
/// user out; it ends the app session and then the tenant session through <c>/v2/logout</c>.
/// </summary>
public sealed class LogoutModel : PageModel
{
    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        // QA session overrides and pending link attempts end with the session.
        HttpContext.Session.Clear();
        return SignOut(new AuthenticationProperties { RedirectUri = Url.Content("~/") }, AuthSchemes.Cookie, AuthSchemes.Auth0);
    }
}
