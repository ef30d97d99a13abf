using System.Security.Claims;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.PasswordReset;
using LegacyLinking.Web.Linking.Secondary;
using LegacyLinking.Web.Linking.StepUp;
using LegacyLinking.Web.MigrationTracking;
using LegacyLinking.Web.Profile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Pages.Profile;

/// <summary>The user's identities: link (starts the second account's login), unlink, suggestions, recent attempts.</summary>
public sealed class IndexModel(
    ProfileReader profiles,
    LinkingService linking,
    PasswordResetReview resetReview,
    PasswordResetAnswer resetAnswer,
    AttemptLog attempts,
    LinkCallbackResults callbacks,
    SessionEpochs sessions,
    StepUpGate stepUp,
    VerificationEmails verificationEmails,
    UserCache userCache,
    IOptions<LinkingOptions> options) : PageModel
{
    public UserProfile? Profile { get; private set; }

    /// <summary>The profile as its owner reads it (names, masked phone, labelled settings): <see cref="ProfileView"/>.</summary>
    public ProfileView? View { get; private set; }

    /// <summary>Flow names, reasons, the tenant's own words and recent attempts are for QA: members of the <c>qa</c> group.</summary>
    public bool IsQa => User.IsQa();

    /// <summary>Identities taken off the account after a password reset, shown until the user finishes the review.</summary>
    public IReadOnlyList<DetachedIdentity> Detached { get; private set; } = [];
    public string? LoadError { get; private set; }

    /// <summary>The tenant's own answer behind <see cref="LoadError"/>, shown to QA only.</summary>
    public string? LoadErrorDetail { get; private set; }
    public IReadOnlyList<string> Connections => options.Value.EffectiveConnections;
    public IReadOnlyList<AttemptRow> RecentAttempts { get; private set; } = [];

    /// <summary>The suggested accounts, each under a handle of this session (the page never holds their user ids).</summary>
    public IReadOnlyList<SuggestionOffer> Suggestions { get; private set; } = [];

    /// <summary>False while links go through a flow that links whichever account signs in: suggestions are then plain links.</summary>
    public bool SuggestionsHonoured { get; private set; } = true;

    [TempData] public string? StatusMessage { get; set; }

    /// <summary>What the request recorded (flow, tenant status and text) behind <see cref="StatusMessage"/>; QA only.</summary>
    [TempData] public string? StatusDetail { get; set; }
    [TempData] public string? LastFlow { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        FlowHeader.Set(Response, LastFlow);
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        var userId = primary.UserId;
        try
        {
            var fetch = await profiles.FetchAsync(userId, User, cancellationToken);
            var user = fetch.User;
            switch (await resetAnswer.AnswerAsync(HttpContext, user, primary, cancellationToken))
            {
                case ResetAnswer.IdentitiesDetached:
                    return SignInAgain("Your password was reset, so the accounts linked to yours were removed and every session ended. "
                        + "Sign in with your new password to review them.");
                case ResetAnswer.SessionEnded:
                    return SignInAgain("Your password was reset, so sessions signed in before it ended. Sign in with your new password.");
            }
            Profile = await profiles.ReadAsync(fetch, cancellationToken);
            View = ProfileView.Of(Profile);
            Detached = await resetReview.PendingAsync(user, cancellationToken);
            await HttpContext.Session.LoadAsync(cancellationToken);
            Suggestions = SuggestionHandles.Offer(HttpContext.Session, Profile.Suggestions);
            if (Suggestions.Count > 0) SuggestionsHonoured = await linking.HonoursSuggestionsAsync(cancellationToken);
        }
        catch (ApiException e)
        {
            // The tenant refused or did not answer: say so plainly (a real tenant may lack a grant such as read:users).
            Response.StatusCode = e is TenantUnavailableException ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway;
            if (e is TenantUnavailableException or RateLimitApiException) Response.Headers.RetryAfter = "10";
            LoadError = ProfileMessages.LoadFailed(e);
            LoadErrorDetail = ProfileMessages.LoadFailedDetail(e);
        }
        await HttpContext.Session.LoadAsync(cancellationToken);
        RecentAttempts = AttemptLog.Read(HttpContext.Session);
        return Page();
    }

    /// <summary>
    /// "Send the verification email again": a POST (antiforgery, like every form here), at most once a minute per user
    /// (<see cref="VerificationEmails"/>).
    /// </summary>
    public async Task<IActionResult> OnPostSendVerificationAsync(CancellationToken cancellationToken)
    {
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        var sent = await verificationEmails.SendAgainAsync(primary.UserId, cancellationToken);
        StatusMessage = sent.Message;
        StatusDetail = sent.Detail;
        return RedirectToPage();
    }

    /// <summary>The user has seen what was detached after the password reset (and linked back what is theirs).</summary>
    public async Task<IActionResult> OnPostReviewAsync(CancellationToken cancellationToken)
    {
        await resetReview.CompleteAsync(User.FindFirstValue("sub")!, cancellationToken);
        StatusMessage = "Review finished. Link any other account you use from this page at any time.";
        return RedirectToPage();
    }

    /// <summary>
    /// A fresh sign-in of the primary (<c>prompt=login</c>), back to this page, saying why: before a link when the
    /// session is old, and after a password reset ended it. The reset is answered on a GET on purpose: the first
    /// request after it, whoever makes it, takes the linked identities off and ends the older sessions; a forged
    /// request can only make that protective step happen sooner.
    /// </summary>
    private ChallengeResult SignInAgain(string message)
    {
        StatusMessage = message;
        return Challenge(UserSession.FreshSignInChallenge(Url.Page("/Profile/Index")), AuthSchemes.Auth0);
    }

    /// <summary>
    /// Said instead of a second fresh sign-in when the first one also came back without <c>auth_time</c>: asking again
    /// would send the user round the same loop for ever.
    /// </summary>
    public static string NoSignInTimeMessage(PendingOperation operation) =>
        "Error: Linking needs to know when you last signed in, and the sign-in service did not say: even after a fresh "
        + $"sign-in its answer had no sign-in time (auth_time). Nothing was {(operation.IsLink ? "linked" : "removed")}; please tell your administrator.";

    /// <param name="suggestion">The handle of a suggested account (empty for "an account of this connection").</param>
    public async Task<IActionResult> OnPostLinkAsync(string? connection, string? suggestion, CancellationToken cancellationToken)
    {
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        if (!stepUp.IsRecent(User)) return await ConfirmFirstAsync(PendingOperation.Link(primary.UserId, connection, suggestion));
        return await LinkAsync(primary, connection, suggestion, cancellationToken);
    }

    public async Task<IActionResult> OnPostUnlinkAsync(string? provider, string? userId, CancellationToken cancellationToken)
    {
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        if (!stepUp.IsRecent(User)) return await ConfirmFirstAsync(PendingOperation.Unlink(primary.UserId, provider, userId));
        return await FinishAsync(await linking.UnlinkAsync(primary, provider, userId, cancellationToken), primary.UserId, provider);
    }

    /// <summary>
    /// The session's sign-in is too old for this: keep the request and say why first (the confirmation page) — unless
    /// the session already came from a fresh sign-in whose answer had no sign-in time, where another round would loop.
    /// </summary>
    private async Task<IActionResult> ConfirmFirstAsync(PendingOperation operation)
    {
        if (!UserSession.ReportsSignInTime(User) && await UserSession.IsFreshSignInAsync(HttpContext))
        {
            StatusMessage = NoSignInTimeMessage(operation);
            return RedirectToPage();
        }
        return RedirectToPage("/Profile/Confirm", new { resume = await stepUp.KeepAsync(HttpContext, operation) });
    }

    /// <summary>
    /// Where the fresh sign-in comes back: the request kept for this browser and this user runs once, exactly as a
    /// fresh request with the same parameters would (every guard again), if the sign-in is now recent.
    /// </summary>
    public async Task<IActionResult> OnGetResumeAsync(string? resume, CancellationToken cancellationToken)
    {
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        if (await stepUp.TakeAsync(HttpContext, resume, primary.UserId) is not { } operation)
        {
            StatusMessage = "Error: That request has expired or was already done, so nothing was changed. Start it again from this page.";
            return RedirectToPage();
        }
        if (!stepUp.IsRecent(User))
        {
            StatusMessage = UserSession.ReportsSignInTime(User)
                ? "Error: Your sign-in could not be confirmed as a new one, so nothing was changed. Try again."
                : NoSignInTimeMessage(operation);
            return RedirectToPage();
        }
        return operation.IsLink
            ? await LinkAsync(primary, operation.Connection, operation.Suggestion, cancellationToken)
            : await FinishAsync(await linking.UnlinkAsync(primary, operation.Provider, operation.IdentityUserId, cancellationToken), primary.UserId, operation.Provider);
    }

    private async Task<IActionResult> LinkAsync(PrimaryUser primary, string? connection, string? suggestion, CancellationToken cancellationToken)
    {
        await HttpContext.Session.LoadAsync(cancellationToken);
        var start = await linking.StartLinkAsync(primary, HttpContext.Session, connection, suggestion, cancellationToken);
        if (start.Challenge is { } challenge)
        {
            FlowHeader.Set(Response, LinkAttempt.ReadFrom(challenge)?.Flow);
            return Challenge(challenge, AuthSchemes.Auth0Link);
        }
        return await FinishAsync(start.Refusal!, primary.UserId, connection);
    }

    /// <summary>
    /// Where the secondary's login lands once its callback validated and stashed it: links (or records why not) and
    /// finishes like an unlink. A GET, as the redirect from the tenant's callback must be; it acts only on a result this
    /// browser's session holds for that attempt, once. Without one it says something only about an attempt this session
    /// started (its result expired); anyone else's link here just opens the page.
    /// </summary>
    public async Task<IActionResult> OnGetLinkCallbackAsync(string? attempt, CancellationToken cancellationToken)
    {
        if (await callbacks.TakeAsync(HttpContext, attempt) is not { } result)
        {
            if (attempt is not null && PendingAttempts.TryConsume(HttpContext.Session, attempt))
            {
                StatusMessage = ProfileMessages.CallbackExpired;
                StatusDetail = "Error: " + SecondaryLoginOptions.Unverified;
            }
            return RedirectToPage();
        }
        var primary = result.SignedIn ? await UserSession.GetPrimaryAsync(HttpContext) : null;
        return await FinishAsync(
            await linking.FinishLinkAsync(primary, HttpContext.Session, result, cancellationToken), result.Attempt.PrimaryUserId, result.Attempt.Connection);
    }

    /// <summary>Every link and unlink ends here: recorded, other sessions cut after a change, the user told, back to the page.</summary>
    /// <param name="connection">The connection linked or the provider unlinked, which the user's message names.</param>
    private async Task<IActionResult> FinishAsync(LinkingOutcome outcome, string userId, string? connection)
    {
        // Whatever the outcome, the identities may have changed (the legacy flows change them without a Management API
        // write the cache would see): the profile this redirects to reads them again.
        await userCache.ChangedAsync(userId);
        await attempts.RecordAsync(HttpContext, outcome, userId);
        if (outcome.MayHaveChangedIdentities) await sessions.IdentitiesChangedAsync(HttpContext, userId);
        FlowHeader.Set(Response, outcome.Flow);
        StatusMessage = ProfileMessages.For(outcome, connection);
        StatusDetail = outcome.StatusMessage;
        LastFlow = outcome.Flow;
        return RedirectToPage();
    }
}
