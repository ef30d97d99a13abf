using System.Security.Claims;
using System.Security.Cryptography;
using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking.StepUp;

/// <summary>
/// Step-up for link and unlink (both change who can sign in as the user, so an unattended or
/// borrowed session must not do either): the primary's own sign-in (<c>auth_time</c>) must be at most
/// <c>Linking:PrimaryReauthenticationSeconds</c> old. An older session's request is kept as a
/// <see cref="PendingOperation"/> while the user is told why and signs in again; then it resumes. What resumes is
/// bound to this browser (its session state) and this user, lives <see cref="Lifetime"/>, is taken once, and runs as
/// its posted parameters through every guard a fresh request meets.
/// </summary>
public sealed class StepUpGate(ProtectedSessionItems items, IOptions<LinkingOptions> options, TimeProvider clock)
{
    /// <summary>Long enough to read the page and sign in again (a password typed, a code received), no longer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string Purpose = "LegacyLinking.StepUp.PendingOperation.v1";

    public bool IsRecent(ClaimsPrincipal user) =>
        UserSession.SignedInWithin(user, TimeSpan.FromSeconds(options.Value.PrimaryReauthenticationSeconds), clock);

    /// <summary>Keeps the operation for this browser; answers the handle that names it (meaningless to any other browser).</summary>
    public async Task<string> KeepAsync(HttpContext http, PendingOperation operation)
    {
        var handle = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        await items.PutAsync(http, Purpose, handle, operation, Lifetime);
        return handle;
    }

    /// <summary>The operation kept under <paramref name="handle"/> for <paramref name="userId"/>, left in place; null when none.</summary>
    public async Task<PendingOperation?> PeekAsync(HttpContext http, string? handle, string userId) =>
        OwnedBy(await items.PeekAsync<PendingOperation>(http, Purpose, handle), userId);

    /// <summary>The same, removed: an operation resumes once.</summary>
    public async Task<PendingOperation?> TakeAsync(HttpContext http, string? handle, string userId) =>
        OwnedBy(await items.TakeAsync<PendingOperation>(http, Purpose, handle), userId);

    private static PendingOperation? OwnedBy(PendingOperation? operation, string userId) => operation?.UserId == userId ? operation : null;
}
