using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.PasswordReset;
using LegacyLinking.LocalTenant.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Pages;

/// <summary>
/// The login page's "Don't remember your password?": asks for the email and sends the reset link exactly as
/// <c>POST /dbconnections/change_password</c> does, for the login's application and its database connection. The
/// answer is the same whatever the email.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ForgotPasswordModel(TenantDbContext db, ChangePasswordRequests requests) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Email { get; set; }

    public string? ErrorMessage { get; private set; }
    public bool CanAsk { get; private set; }
    public bool Sent { get; private set; }
    public string SentMessage => ChangePasswordRequests.SentMessage;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await DatabaseConnectionAsync() is null) return Unavailable();
        var hint = LoginReturnUrl.Parameter(ReturnUrl, "login_hint");
        if (LoginInput.EmailProblem(hint) is null) Email = hint;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await DatabaseConnectionAsync() is not { } connection) return Unavailable();
        if (LoginInput.EmailProblem(Email) is { } problem) return Fail(problem);

        var refusal = await requests.RequestAsync(
            LoginReturnUrl.Parameter(ReturnUrl, "client_id"), Email!.Trim(), connection, HttpContext.RequestAborted);
        if (refusal is not null) return Fail(refusal);
        Sent = true;
        return Page();
    }

    /// <summary>The database connection this sign-in offers, or null when the link is bad or it offers none.</summary>
    private async Task<string?> DatabaseConnectionAsync()
    {
        if (!LoginReturnUrl.IsValid(ReturnUrl, Url)) return null;
        var requested = LoginReturnUrl.Parameter(ReturnUrl, "connection");
        var name = await db.Connections.AsNoTracking()
            .Where(c => c.Strategy == TenantConnection.Strategies.Database && (requested == null || c.Name == requested))
            .OrderBy(c => c.Name).Select(c => c.Name)
            .FirstOrDefaultAsync(HttpContext.RequestAborted);
        CanAsk = name is not null;
        return name;
    }

    private PageResult Unavailable() => Fail(LoginReturnUrl.IsValid(ReturnUrl, Url)
        ? "This sign-in has no email and password to reset."
        : LoginReturnUrl.InvalidMessage);

    private PageResult Fail(string message)
    {
        ErrorMessage = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
