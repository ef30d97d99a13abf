using System.Globalization;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace LegacyLinking.LocalTenant.Logs;

/// <summary>
/// The one writer of tenant log events (logins, token exchanges, password changes, API operations, deprecation notes).
/// Callers pass only what may be shown to an administrator: never a token, a secret, a password or a request body.
/// The caller's address, user agent and the host it addressed come from the current request, as on Auth0.
/// </summary>
/// <remarks>
/// Writes through a context of its own: the request's context may hold changes that must not be saved (an operation
/// that failed half-way), and a log write must never save them by accident.
/// </remarks>
public sealed class TenantLog(
    DbContextOptions<TenantDbContext> options, TimeProvider clock, IOpenIddictApplicationManager applications,
    IHttpContextAccessor requests)
{
    private const int MaxUserAgentLength = 512;

    public async Task WriteAsync(TenantLogEntry entry, CancellationToken cancellationToken = default)
    {
        var clientName = entry.ClientId is null ? null
            : await applications.FindByClientIdAsync(entry.ClientId, cancellationToken) is { } application
                ? await applications.GetDisplayNameAsync(application, cancellationToken)
                : null;
        var request = requests.HttpContext?.Request;
        var userAgent = request?.Headers.UserAgent.ToString();
        await using var db = new TenantDbContext(options);
        db.Logs.Add(new TenantLogEvent
        {
            Date = entry.At ?? clock.GetUtcNow(),
            Type = entry.Type,
            Description = entry.Description,
            ClientId = entry.ClientId,
            ClientName = clientName,
            UserId = entry.UserId,
            UserName = entry.UserName,
            Connection = entry.Connection,
            Ip = request?.HttpContext.Connection.RemoteIpAddress?.ToString(),
            UserAgent = string.IsNullOrEmpty(userAgent) ? null : userAgent[..Math.Min(userAgent.Length, MaxUserAgentLength)],
            Hostname = request?.Host.Host,
            Details = entry.Details?.ToJsonString(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>An event to write; <see cref="Type"/> is one of <see cref="LogTypes"/>.</summary>
public sealed record TenantLogEntry(string Type, string Description)
{
    public string? ClientId { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public string? Connection { get; init; }
    public JsonObject? Details { get; init; }

    /// <summary>When it happened, if not now (test controls only: an event from before this tenant's own log).</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>An event about one identity (a sign-in, a password change): its user, login name and connection.</summary>
    public static TenantLogEntry About(TenantIdentity identity, string type, string description, string? clientId) =>
        new(type, description)
        {
            ClientId = clientId,
            UserId = identity.UserId,
            UserName = identity.LoginName ?? identity.Sub,
            Connection = identity.Connection,
        };
}

/// <summary>Auth0's log event type codes used by this tenant (Auth0's "Log Event Type Codes").</summary>
public static class LogTypes
{
    public const string SuccessLogin = "s";
    public const string FailedLogin = "f";
    public const string FailedLoginIncorrectPassword = "fp";
    public const string FailedLoginInvalidUser = "fu";
    public const string SuccessSignup = "ss";
    public const string FailedSignup = "fs";
    public const string SuccessSilentAuth = "ssa";
    public const string FailedSilentAuth = "fsa";
    public const string SuccessLogout = "slo";
    public const string CodeSent = "cs";
    public const string SuccessExchangeAuthorizationCode = "seacft";
    public const string FailedExchangeAuthorizationCode = "feacft";
    public const string SuccessExchangeClientCredentials = "seccft";
    public const string FailedExchangeClientCredentials = "feccft";
    public const string SuccessExchangeRefreshToken = "sertft";
    public const string FailedExchangeRefreshToken = "fertft";
    public const string SuccessApiOperation = "sapi";
    public const string FailedApiOperation = "fapi";
    public const string DeprecationNotice = "depnote";
    public const string SuccessChangePasswordRequest = "scpr";
    public const string SuccessChangePassword = "scp";
    public const string ApiLimit = "api_limit";
}

/// <summary>
/// Auth0's <c>log_id</c> is an opaque numeric string that sorts in time order; here it is a prefix and the zero-padded
/// row id, so <c>from</c> checkpoints compare as numbers and ids never repeat.
/// </summary>
public static class LogIds
{
    private const string Prefix = "900";
    private const int Digits = 20;

    public static string Format(long id) => Prefix + id.ToString("D" + Digits, CultureInfo.InvariantCulture);

    public static bool TryParse(string? logId, out long id)
    {
        id = 0;
        return logId is { Length: 23 } && logId.StartsWith(Prefix, StringComparison.Ordinal)
            && logId.Skip(Prefix.Length).All(char.IsAsciiDigit)
            && long.TryParse(logId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
