using LegacyLinking.Web.Profile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.Web.Pages.Profile;

public sealed class IndexModel(ProfileReader profiles) : PageModel
{
    public UserProfile Profile { get; private set; } = null!;

    [TempData] public string? StatusMessage { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Profile = await profiles.ReadAsync(HttpContext, cancellationToken);
}
