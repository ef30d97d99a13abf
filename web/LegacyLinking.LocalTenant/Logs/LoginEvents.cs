using LegacyLinking.LocalTenant.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Logs;

/// <summary>
/// Auth0's events for what the login page and logout do: <c>s</c> on success, <c>fu</c>/<c>fp</c> for an unknown user
/// or a wrong password, <c>f</c> otherwise; <c>ss</c>/<c>fs</c> for a sign-up; <c>cs</c> when a passwordless code is
/// sent; <c>slo</c> for a logout.
/// </summary>
public sealed class LoginEvents(TenantLog log, TenantDbContext db)
{
    private const string WrongCredentials = "Wrong email or password.";

    public Task SucceededAsync(TenantIdentity identity, string? clientId) =>
        log.WriteAsync(TenantLogEntry.About(identity, LogTypes.SuccessLogin, "Successful login", clientId));

    /// <summary>A failed database login; the attempted email is logged as the user name (as Auth0 does), the password never.</summary>
    public async Task PasswordFailedAsync(string connection, string email, string? clientId)
    {
        var known = await db.Identities.AnyAsync(i => i.Connection == connection && i.LoginName == email.ToLowerInvariant());
        await log.WriteAsync(new TenantLogEntry(known ? LogTypes.FailedLoginIncorrectPassword : LogTypes.FailedLoginInvalidUser, WrongCredentials)
        {
            ClientId = clientId,
            UserName = email,
            Connection = connection,
        });
    }

    public Task FailedAsync(string connection, string userName, string description, string? clientId) =>
        log.WriteAsync(new TenantLogEntry(LogTypes.FailedLogin, description)
        {
            ClientId = clientId,
            UserName = userName,
            Connection = connection,
        });

    public Task SignedUpAsync(TenantIdentity identity, string? clientId) =>
        log.WriteAsync(TenantLogEntry.About(identity, LogTypes.SuccessSignup, "Successful signup", clientId));

    public Task SignupFailedAsync(string connection, string email, string description, string? clientId) =>
        log.WriteAsync(new TenantLogEntry(LogTypes.FailedSignup, description)
        {
            ClientId = clientId,
            UserName = email,
            Connection = connection,
        });

    /// <summary>A passwordless code was "sent" (shown on the page); the code itself is never logged.</summary>
    public Task CodeSentAsync(string connection, string phone, string? clientId) =>
        log.WriteAsync(new TenantLogEntry(LogTypes.CodeSent, "Passwordless login code sent")
        {
            ClientId = clientId,
            UserName = phone,
            Connection = connection,
        });

    public Task LoggedOutAsync(string? userId, string? connection, string? clientId) =>
        log.WriteAsync(new TenantLogEntry(LogTypes.SuccessLogout, "Successful logout")
        {
            ClientId = clientId,
            UserId = userId,
            Connection = connection,
        });
}
