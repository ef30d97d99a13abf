using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Outbox;
using LegacyLinking.LocalTenant.Users;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace LegacyLinking.LocalTenant.PasswordReset;

/// <summary>
/// "Send me a reset link", as <c>POST /dbconnections/change_password</c> and the login page's "forgot password" form
/// both ask it. The answer is the same whether or not the email has an account (no account enumeration); only an
/// account gets a ticket, an email in the outbox and Auth0's <c>scpr</c> log event.
/// </summary>
public sealed class ChangePasswordRequests(
    TenantDbContext db,
    IOpenIddictApplicationManager applications,
    PasswordResetTickets tickets,
    TenantOutbox outbox,
    TenantLog log,
    TenantUrls urls)
{
    /// <summary>Auth0's answer, whatever the email.</summary>
    public const string SentMessage = "We've just sent you an email to reset your password.";

    public const string ResetPath = "/lo/reset";

    /// <summary>Null when the request is accepted (answer <see cref="SentMessage"/>); otherwise why it is a bad request.</summary>
    public async Task<string?> RequestAsync(string? clientId, string? email, string? connection, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId)) return "Missing required parameter: client_id";
        if (string.IsNullOrEmpty(email)) return "Missing required parameter: email";
        if (string.IsNullOrEmpty(connection)) return "Missing required parameter: connection";
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
            return $"Unknown client: {Shorten(clientId)}";
        email = email.Trim();
        if (LoginInput.EmailProblem(email) is not null) return "email must be a valid email address.";

        var target = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.Name == connection, cancellationToken);
        if (target is null) return "connection not found";
        if (!target.IsDatabase) return $"The connection {target.Name} is not a database connection; only database connections have passwords.";

        var loginName = email.ToLowerInvariant();
        var identity = await db.Identities.Include(i => i.User)
            .SingleOrDefaultAsync(i => i.Connection == target.Name && i.LoginName == loginName, cancellationToken);
        if (identity is null) return null;

        var secret = await tickets.IssueAsync(identity, clientId, cancellationToken);
        var appName = await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
        await outbox.SendAsync(ResetEmail(loginName, appName, ResetLink(secret)), cancellationToken);
        await log.WriteAsync(TenantLogEntry.About(identity, LogTypes.SuccessChangePasswordRequest, "Success Change Password Request", clientId),
            cancellationToken);
        return null;
    }

    private string ResetLink(string secret) => new Uri(urls.Issuer, ResetPath.TrimStart('/') + "?ticket=" + secret).AbsoluteUri;

    private static OutgoingEmail ResetEmail(string to, string appName, string link) => new(
        to,
        "Reset your password",
        $"""
        Hello,

        Someone asked to reset the password of your {appName} account ({to}). Open this link to choose a new one:

        {link}

        The link works once and expires in {PasswordResetTickets.Lifetime.TotalDays:0} days. If you did not ask for it,
        ignore this email: your password stays as it is.
        """,
        link);

    /// <summary>An unknown client id is echoed back, but never at length.</summary>
    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
