using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management.Jobs;

/// <summary>
/// <c>POST /api/v2/jobs/verification-email</c> (<c>update:users</c>): emails the user a link that verifies their
/// address, answering Auth0's job object (<c>201 {type: "verification_email", status: "pending", created_at, id}</c>).
/// The email goes to the outbox; its link, <c>/u/email-verification?ticket=…</c>, sets <c>email_verified</c> while the
/// user still has the address it was sent to. The ticket is the tenant's own data-protected, time-limited text: no
/// table, and a link for an old address does nothing once the address changed.
/// </summary>
public static class VerificationEmailEndpoint
{
    public const string VerifyPath = "/u/email-verification";

    /// <summary>Auth0's default lifetime of the link in its verification email (432000 s).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(5);

    private const string Purpose = "LegacyLinking.LocalTenant.EmailVerification";

    private static readonly string[] BodyProperties = ["user_id", "client_id", "identity", "organization_id"];

    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        api.MapPost("/jobs/verification-email", SendAsync).Operation("Send a verification email", [UpdateUsers]);
        return api;
    }

    /// <summary>The page the email's link opens (outside the API: a person opens it in a browser).</summary>
    public static IEndpointRouteBuilder MapEmailVerification(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(VerifyPath, VerifyAsync);
        return endpoints;
    }

    private static async Task<IResult> SendAsync(
        HttpContext http, TenantDbContext db, TenantOutbox outbox, TenantUrls urls, IDataProtectionProvider protection, TimeProvider clock)
    {
        var body = await ManagementBody.ReadObjectAsync(http.Request, BodyProperties);
        var userId = ManagementBody.OptionalString(body, "user_id")
            ?? throw ManagementErrors.InvalidBody("'Missing required property: user_id'.");
        _ = ManagementBody.OptionalString(body, "client_id");
        _ = ManagementBody.OptionalString(body, "organization_id");
        if (ManagementBody.OptionalObject(body, "identity") is { } identity)
        {
            foreach (var property in new[] { "user_id", "provider" })
            {
                if (ManagementBody.OptionalString(identity, property) is null)
                    throw ManagementErrors.InvalidBody($"'Missing required property: {property}' on property identity.");
            }
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserId == userId, http.RequestAborted)
            ?? throw ManagementErrors.InexistentUser();
        if (string.IsNullOrEmpty(user.Email)) throw ManagementErrors.BadRequest("The user does not have an email address.", "invalid_body");

        var ticket = Protector(protection).Protect(Ticket(user.UserId, user.Email), Lifetime);
        var link = new Uri(urls.Issuer, VerifyPath.TrimStart('/') + "?ticket=" + Uri.EscapeDataString(ticket)).AbsoluteUri;
        await outbox.SendAsync(new OutgoingEmail(
            user.Email,
            "Verify your email",
            $"""
            Hello,

            Please verify your email address ({user.Email}) by opening this link:

            {link}

            The link expires in {Lifetime.TotalDays:0} days. If you did not ask for it, ignore this email.
            """,
            link), http.RequestAborted);

        return ManagementResults.Ok(new JsonObject
        {
            ["type"] = "verification_email",
            ["status"] = "pending",
            ["created_at"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["id"] = "job_" + RandomNumberGenerator.GetHexString(16, lowercase: true),
        }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> VerifyAsync(HttpContext http, TenantDbContext db, IDataProtectionProvider protection, TimeProvider clock)
    {
        string? text = null;
        if (http.Request.Query["ticket"] is { Count: 1 } values && values[0] is { Length: > 0 and <= 2048 } ticket)
        {
            try
            {
                text = Protector(protection).Unprotect(ticket);
            }
            catch (CryptographicException)
            {
                // Forged, cut or expired: the same answer as an address that changed since.
            }
        }
        var parts = text?.Split('\n', 2);
        var user = parts is { Length: 2 }
            ? await db.Users.SingleOrDefaultAsync(u => u.UserId == parts[0], http.RequestAborted)
            : null;
        if (user is null || !string.Equals(user.Email, parts![1], StringComparison.OrdinalIgnoreCase))
            return Page(StatusCodes.Status400BadRequest, "This verification link does not work",
                "It has expired, was cut short, or the account's email address has changed since. Ask the app for a new verification email.");
        if (!user.EmailVerified)
        {
            user.EmailVerified = true;
            user.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(http.RequestAborted);
        }
        return Page(StatusCodes.Status200OK, "Your email address is verified", "You can close this page and go back to the app.");
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private static string Ticket(string userId, string email) => userId + "\n" + email;

    private static IResult Page(int status, string title, string text) => Results.Content(
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
        <body><main><h1 data-test="verification-title">{title}</h1><p>{text}</p></main></body></html>
        """,
        "text/html; charset=utf-8", statusCode: status);
}
