using System.Security.Claims;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Linking.StepUp;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Pages.Profile;

/// <summary>
/// Before the fresh sign-in a link or unlink needs: says why, and continues (a POST with the antiforgery token) to the
/// tenant's login, which comes back to the profile page's <c>Resume</c> to carry on with the request.
/// </summary>
public sealed class ConfirmModel(StepUpGate stepUp, IOptions<LinkingOptions> options) : PageModel
{
    public PendingOperation? Operation { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Resume { get; set; }

    [TempData] public string? StatusMessage { get; set; }

    /// <summary>How recent a sign-in must be, in words ("10 minutes").</summary>
    public string Window => options.Value.PrimaryReauthenticationSeconds is var seconds && seconds >= 120 && seconds % 60 == 0
        ? $"{seconds / 60} minutes"
        : $"{seconds} seconds";

    public async Task<IActionResult> OnGetAsync()
    {
        Operation = await stepUp.PeekAsync(HttpContext, Resume, User.FindFirstValue("sub")!);
        return Operation is null ? Gone() : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await stepUp.PeekAsync(HttpContext, Resume, User.FindFirstValue("sub")!) is null) return Gone();
        return Challenge(UserSession.FreshSignInChallenge(Url.Page("/Profile/Index", "Resume", new { resume = Resume })), AuthSchemes.Auth0);
    }

    private RedirectToPageResult Gone()
    {
        StatusMessage = "Error: That request has expired or was already done, so nothing was changed. Start it again from this page.";
        return RedirectToPage("/Profile/Index");
    }
}
