using LegacyLinking.LocalTenant.PasswordReset;
using LegacyLinking.LocalTenant.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LegacyLinking.LocalTenant.Pages;

/// <summary>
/// The page a reset email links to (Auth0's classic <c>/lo/reset?ticket=…</c>): a new password, typed twice, under the
/// tenant's password policy. A wrong entry keeps the ticket usable; an unknown, used or expired ticket gets a page that
/// says so. The ticket travels in the URL only, which no Referer carries off (Referrer-Policy: no-referrer).
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ResetPasswordModel(PasswordResetTickets tickets, ClientHome clients) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Ticket { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    /// <summary>Whose password this is, so the reader knows which account the link is for.</summary>
    public string? Email { get; private set; }
    public string? TicketError { get; private set; }
    public string? ErrorMessage { get; private set; }
    public bool Done { get; private set; }
    public ClientLanding? BackTo { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var lookup = await tickets.FindAsync(Ticket, HttpContext.RequestAborted);
        if (lookup.Ticket is null) return Refused(lookup.State);
        Email = lookup.Ticket.Identity!.LoginName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var lookup = await tickets.FindAsync(Ticket, ct);
        if (lookup.Ticket is not { } ticket) return Refused(lookup.State);
        Email = ticket.Identity!.LoginName;

        var problem = LoginInput.NewPasswordProblem(Password)
            ?? (Password != Confirm ? "The two passwords are not the same. Type the new password twice." : null);
        if (problem is not null)
        {
            ErrorMessage = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!await tickets.ResetAsync(ticket, Password!, ct)) return Refused(TicketState.Used);

        Done = true;
        BackTo = await clients.FindAsync(ticket.ClientId, ct);
        return Page();
    }

    private PageResult Refused(TicketState state)
    {
        (TicketError, Response.StatusCode) = state switch
        {
            TicketState.Expired => ("This password reset link has expired. Ask for a new one from the sign-in page.", StatusCodes.Status410Gone),
            TicketState.Used => ("This password reset link has already been used. Ask for a new one from the sign-in page if you need to.",
                StatusCodes.Status410Gone),
            _ => ("This password reset link is not valid. Check that you opened the whole link from the email, or ask for a new one.",
                StatusCodes.Status400BadRequest),
        };
        return Page();
    }
}
