using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.PasswordReset;

/// <summary>How this app answered one password reset of a user (table <c>identity_reviews</c>).</summary>
public sealed class IdentityReview
{
    public string UserId { get; set; } = "";

    /// <summary>The tenant's <c>last_password_reset</c> this answer is for; a later reset is answered again.</summary>
    public DateTime PasswordResetAt { get; set; }

    /// <summary>The identities taken off the account, one <c>provider|user_id|connection</c> per line.</summary>
    public string Detached { get; set; } = "";

    /// <summary>When the user finished reviewing them; null while the review is still shown.</summary>
    public DateTime? ReviewedAt { get; set; }
}

/// <summary>An identity taken off the account after a password reset, which the user may link again.</summary>
public sealed record DetachedIdentity(string Provider, string UserId, string? Connection);

/// <summary>What answering a password reset did to the request's session.</summary>
public enum ResetAnswer
{
    /// <summary>Nothing to answer, or this session was signed in after the reset: carry on.</summary>
    None,

    /// <summary>The account had no linked identity; this session predates the reset and ended.</summary>
    SessionEnded,

    /// <summary>Linked identities were taken off and every session ended, this one included.</summary>
    IdentitiesDetached,
}

/// <summary>
/// Trojan identifier (pre-hijacking): someone who created the account before its owner may have linked their
/// own login to it; after the owner recovers it with a password reset, that login would still open it. So the first
/// time the app sees a reset it has not answered (<c>last_password_reset</c>), it takes every linked identity off the
/// account (removing by default is the safe choice) and every session of the user ends. The owner, signed in again
/// with the new password, sees what was removed and links back what is theirs, each with its own fresh login.
/// </summary>
/// <remarks>
/// The app cannot tell which identity a session signed in with (the tenant's tokens name the primary user either
/// way), so it cannot ask only the owner to review: detaching first and re-linking through a fresh login of each
/// account is what keeps a trojan identity out whoever comes first.
/// </remarks>
public sealed class PasswordResetReview(
    IDbContextFactory<AppDbContext> databases,
    [FromKeyedServices(UnlinkFlows.AccessToken)] IUnlinkFlow byUser,
    [FromKeyedServices(UnlinkFlows.ServerToken)] IUnlinkFlow byServer,
    TimeProvider clock,
    ILogger<PasswordResetReview> logger) : IPasswordResetGate
{
    /// <summary>
    /// The checkpoint (written by the migration that brought this check) before which resets are not answered, so a
    /// deployment does not detach the identities of everyone who ever reset a password. Without it, every reset counts.
    /// </summary>
    public const string AnsweredSinceCheckpoint = "password-resets:answered-since";

    /// <summary>Whether <paramref name="user"/> has a password reset this app has not answered yet.</summary>
    public async Task<bool> IsDueAsync(User user, CancellationToken cancellationToken)
    {
        if (user.LastPasswordReset is not { } reset) return false;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var answered = await db.IdentityReviews.AsNoTracking().Where(r => r.UserId == user.UserId).Select(r => (DateTime?)r.PasswordResetAt).SingleOrDefaultAsync(cancellationToken);
        // Stores keep time to the microsecond at best; the tenant's value has milliseconds.
        if (answered is not null) return reset.UtcDateTime - answered.Value >= TimeSpan.FromMilliseconds(1);
        var since = await db.IngestionCheckpoints.AsNoTracking().Where(c => c.Name == AnsweredSinceCheckpoint).Select(c => c.Value).SingleOrDefaultAsync(cancellationToken);
        return since is null
            || !DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var watching)
            || reset >= watching;
    }

    /// <summary>
    /// Answers an unanswered reset: unlinks every secondary identity and records them. Returns those detached now
    /// (empty when the account had none, or when another request is answering the same reset), or null when there was
    /// nothing to answer. A failure part-way leaves the reset unanswered, so the next request carries on with what is
    /// still linked. The session's own access token (<c>update:current_user_identities</c>) does it, so no server grant
    /// is needed; the server token only without one.
    /// </summary>
    /// <remarks>
    /// Every authenticated request may answer a reset (the cookie's validation), so a page and its form post, or two tabs,
    /// race for it: the answer is claimed in the database first, in one statement only one request wins, and only the
    /// winner unlinks. The others answer as if it were handled (their session from before the reset still ends).
    /// </remarks>
    public async Task<IReadOnlyList<DetachedIdentity>?> DetachAfterResetAsync(User user, PrimaryUser primary, CancellationToken cancellationToken)
    {
        if (!await IsDueAsync(user, cancellationToken)) return null;
        var resetAt = user.LastPasswordReset!.Value.UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var before = await db.IdentityReviews.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == user.UserId, cancellationToken);
        if (!await ClaimAsync(db, user.UserId, resetAt, cancellationToken)) return [];
        try
        {
            var unlink = primary.AccessToken is null ? byServer : byUser;
            var detached = new List<DetachedIdentity>();
            foreach (var identity in user.Identities.Skip(1))
            {
                await unlink.UnlinkAsync(primary, identity.Provider, identity.UserId, cancellationToken);
                detached.Add(new DetachedIdentity(identity.Provider, identity.UserId, identity.Connection));
            }

            var list = string.Join('\n', detached.Select(d => $"{d.Provider}|{d.UserId}|{d.Connection}"));
            DateTime? reviewedAt = detached.Count == 0 ? clock.GetUtcNow().UtcDateTime : null;
            await db.IdentityReviews.Where(r => r.UserId == user.UserId && r.PasswordResetAt == resetAt)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Detached, list).SetProperty(r => r.ReviewedAt, reviewedAt), cancellationToken);
            if (detached.Count > 0)
                logger.LogWarning("Password reset of {UserId}: {Count} linked identity(ies) detached until the owner links them again.", user.UserId, detached.Count);
            return detached;
        }
        catch
        {
            await ReleaseAsync(db, user.UserId, resetAt, before);
            throw;
        }
    }

    /// <summary>
    /// Claims answering the reset at <paramref name="resetAt"/>: inserts the user's review row, or moves an older one to
    /// this reset, in one statement. False when the row already stands at this reset: another request claimed it.
    /// </summary>
    private static async Task<bool> ClaimAsync(AppDbContext db, string userId, DateTime resetAt, CancellationToken cancellationToken)
    {
        // As IsDueAsync: a row within a millisecond of the reset is this reset (the stores keep microseconds at best).
        var older = resetAt.AddMilliseconds(-1);
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "identity_reviews" ("UserId", "PasswordResetAt", "Detached", "ReviewedAt") VALUES ({userId}, {resetAt}, '', NULL)
            ON CONFLICT ("UserId") DO UPDATE SET "PasswordResetAt" = excluded."PasswordResetAt", "Detached" = '', "ReviewedAt" = NULL
            WHERE "identity_reviews"."PasswordResetAt" <= {older}
            """, cancellationToken) == 1;
    }

    /// <summary>
    /// Gives a claim back after a failure part-way (the row as it was before, or none), so the next request answers the
    /// reset again with what is still linked. Not cancelled with the request: a claim left behind would leave it unanswered.
    /// </summary>
    private async Task ReleaseAsync(AppDbContext db, string userId, DateTime resetAt, IdentityReview? before)
    {
        try
        {
            var claimed = db.IdentityReviews.Where(r => r.UserId == userId && r.PasswordResetAt == resetAt);
            if (before is null) await claimed.ExecuteDeleteAsync(CancellationToken.None);
            else
                await claimed.ExecuteUpdateAsync(set => set.SetProperty(r => r.PasswordResetAt, before.PasswordResetAt)
                    .SetProperty(r => r.Detached, before.Detached).SetProperty(r => r.ReviewedAt, before.ReviewedAt), CancellationToken.None);
        }
        catch (Exception failure) // the failure that led here is the one to report
        {
            logger.LogError("The password reset of {UserId} was claimed but could not be released ({Failure}); it counts as answered.", userId, failure.GetType().Name);
        }
    }

    /// <summary>
    /// As <see cref="PendingAsync(string, CancellationToken)"/>, without asking the database for a user who never reset a
    /// password (there is no review then): the profile page of most users keeps working while the database is down.
    /// </summary>
    public async Task<IReadOnlyList<DetachedIdentity>> PendingAsync(User user, CancellationToken cancellationToken) =>
        user.LastPasswordReset is null ? [] : await PendingAsync(user.UserId, cancellationToken);

    /// <summary>The identities detached after the last reset, while the user has not finished reviewing them.</summary>
    public async Task<IReadOnlyList<DetachedIdentity>> PendingAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var detached = await db.IdentityReviews.AsNoTracking()
            .Where(r => r.UserId == userId && r.ReviewedAt == null).Select(r => r.Detached).SingleOrDefaultAsync(cancellationToken);
        return detached is null ? [] : Parse(detached);
    }

    /// <summary>The user has seen the detached identities and linked back what they wanted.</summary>
    public async Task CompleteAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.IdentityReviews.Where(r => r.UserId == userId && r.ReviewedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ReviewedAt, now), cancellationToken);
    }

    private static List<DetachedIdentity> Parse(string detached) =>
        detached.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => new DetachedIdentity(parts[0], parts[1], parts[2].Length == 0 ? null : parts[2]))
            .ToList();
}

/// <summary>
/// Answers a reset for the request's session (the profile page): linked identities come off and every session ends;
/// without any, only the sessions signed in before the reset end.
/// </summary>
public sealed class PasswordResetAnswer(PasswordResetReview review, SessionEpochs sessions)
{
    public async Task<ResetAnswer> AnswerAsync(HttpContext http, User user, PrimaryUser primary, CancellationToken cancellationToken)
    {
        if (await AnswerForUserAsync(user, primary, cancellationToken) is not { } detached) return ResetAnswer.None;
        if (detached.Count > 0)
        {
            await http.SignOutAsync(AuthSchemes.Cookie); // every session was cut, this one included
            return ResetAnswer.IdentitiesDetached;
        }
        // The answer above cut the sessions from before the reset; this one, if it is one of them, ends now.
        return await SessionEpochs.EndIfSignedInBeforeAsync(http, user.LastPasswordReset!.Value) ? ResetAnswer.SessionEnded : ResetAnswer.None;
    }

    /// <summary>
    /// Answers an unanswered reset without touching the request's session (the cookie's validation runs this too):
    /// linked identities come off and every session of the user ends, or, with none linked, the sessions from before the
    /// reset end. Returns the identities detached (empty when none were linked), or null when there was nothing to answer.
    /// </summary>
    public async Task<IReadOnlyList<DetachedIdentity>?> AnswerForUserAsync(User user, PrimaryUser primary, CancellationToken cancellationToken)
    {
        if (await review.DetachAfterResetAsync(user, primary, cancellationToken) is not { } detached) return null;
        if (detached.Count > 0) await sessions.CutAsync(user.UserId, cancellationToken);
        else await sessions.CutAtAsync(user.UserId, user.LastPasswordReset!.Value, cancellationToken);
        return detached;
    }
}
