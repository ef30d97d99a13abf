using System.Security.Claims;
using LegacyLinking.Web.Authentication;
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
        // QA session overrides, recent attempts and pending link attempts end with the session.
        SessionStateOwner.Forget(HttpContext);
        // No RedirectUri: the tenant's /v2/logout is where the browser goes, and its returnTo is the app's own root.
        return SignOut(AuthSchemes.Cookie, AuthSchemes.Auth0);
    }

    /// <summary>
    /// Also ends every other session of the user (another device, or someone who signed in to the account): what a
    /// user does when they suspect someone else got in. Each of those browsers is sent to a fresh login at its next
    /// request, and no login at the tenant from before now becomes a session of this app again; the tenant's own
    /// sessions in other browsers are not the app's to end (see docs/security.md).
    /// </summary>
    public async Task<IActionResult> OnPostEverywhereAsync([FromServices] SessionEpochs sessions, CancellationToken cancellationToken)
    {
        if (User.FindFirstValue("sub") is { } userId) await sessions.CutAsync(userId, cancellationToken);
        FreshSignInMarker.Set(HttpContext); // should the tenant's logout below not complete
        return OnPost();
    }
}
