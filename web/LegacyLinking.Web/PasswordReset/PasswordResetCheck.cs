using System.Globalization;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Data;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LegacyLinking.Web.PasswordReset;

/// <summary>How often a session asks the tenant whether its user's password was reset (<c>Sessions:PasswordResetCheckSeconds</c>).</summary>
public sealed record PasswordResetCheckInterval(TimeSpan Every);

/// <summary>
/// Answers a password reset on every authenticated request, not only on the profile page: a session from before the
/// reset must not go on using the migration page, the QA console or the export. Part of the cookie's validation, so no
/// page can forget it; the tenant is asked at most once per <see cref="PasswordResetCheckInterval"/> per session (when
/// it last asked is kept in the ticket; a sign-in counts as asked), never on every request.
/// </summary>
public sealed class PasswordResetCheck(
    ManagementApiClient management,
    PasswordResetAnswer answer,
    SessionEpochs sessions,
    TimeProvider clock,
    PasswordResetCheckInterval interval,
    ILogger<PasswordResetCheck> logger)
{
    private const string CheckedItem = "legacylinking.reset-checked";

    /// <summary>The cookie scheme's <c>OnSigningIn</c>: a new sign-in comes after any reset so far (a renewed one keeps its time).</summary>
    public static void Stamp(CookieSigningInContext context, TimeProvider clock) =>
        context.Properties.Items.TryAdd(CheckedItem, clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The cookie scheme's <c>OnValidatePrincipal</c>, before the cut is applied: when due, reads the user's
    /// <c>last_password_reset</c>; an unanswered reset is answered as on the profile page (linked identities come off,
    /// sessions end), and a session signed in before the reset ends through the user's cut.
    /// </summary>
    public async Task CheckIfDueAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirst("sub")?.Value is not { } userId) return;
        var now = clock.GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedItem, out var stamp)
            && long.TryParse(stamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            && now - new DateTimeOffset(ticks, TimeSpan.Zero) < interval.Every)
            return;
        // Noted before asking: a tenant or database outage must not turn into a call on every request either.
        context.Properties.Items[CheckedItem] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        context.ShouldRenew = true;

        var cancellationToken = context.HttpContext.RequestAborted;
        try
        {
            var user = await management.Users.GetAsync(userId, cancellationToken: cancellationToken);
            if (user.LastPasswordReset is not { } reset) return;
            // However long ago the reset was answered (its cut may have expired), a session from before it ends.
            if (SessionEpochs.IssuedBefore(context.Properties, reset)) await sessions.CutAtAsync(userId, reset, cancellationToken);
            await answer.AnswerForUserAsync(user, UserSession.PrimaryFrom(userId, context.Properties), cancellationToken);
        }
        catch (Exception failure) when (failure is ApiException || DatabaseFailures.IsUnavailable(failure))
        {
            logger.LogWarning("Could not check the session's user for a password reset ({Failure}); checking again in {Seconds} s.",
                failure is ApiException ? "tenant" : "database", interval.Every.TotalSeconds);
        }
    }
}
