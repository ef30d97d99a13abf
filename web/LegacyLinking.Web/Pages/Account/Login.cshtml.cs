using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Account;

/// <summary>Starts the sign-in at the tenant; only local return URLs are honoured (no open redirect).</summary>
public sealed class LoginModel : PageModel
{
    public IActionResult OnGet(string? returnUrl)
    {
        var target = returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/Profile");
        if (User.Identity?.IsAuthenticated == true) return LocalRedirect(target);
        return Challenge(new AuthenticationProperties { RedirectUri = target }, AuthSchemes.Auth0);
    }
}
