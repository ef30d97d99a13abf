using System.Diagnostics;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking.Secondary;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking;

/// <summary>What starting a link produced: a challenge for the secondary's login, or a refusal.</summary>
public sealed record LinkStart(OpenIdConnectChallengeProperties? Challenge, LinkingOutcome? Refusal);

/// <summary>
/// Link and unlink, whatever the flow: picks the flow from the flags, applies every guard on the server (whatever
/// the page showed), calls the flow, and describes the result in plain language.
/// </summary>
public sealed class LinkingService(
    FlagEvaluator flags,
    IServiceProvider services,
    ManagementApiClient management,
    SuggestionFinder suggestions,
    IOptions<LinkingOptions> options,
    ShadowCheck shadowCheck,
    IPasswordResetGate resetReview,
    TimeProvider clock,
    ILogger<LinkingService> logger)
{
    public const string Link = "link";
    public const string Unlink = "unlink";

    /// <summary>
    /// Starts a link of an account of <paramref name="connection"/>, or of the suggested account this session handed
    /// out <paramref name="suggestion"/> for (<see cref="SuggestionHandles"/>).
    /// </summary>
    public async Task<LinkStart> StartLinkAsync(PrimaryUser primary, ISession session, string? connection, string? suggestion, CancellationToken cancellationToken)
    {
        var decision = await flags.EvaluateAsync(FlagNames.LinkFlow, cancellationToken);
        var flowName = decision.Variant ?? LinkFlows.AccessToken;
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (string.IsNullOrWhiteSpace(connection) || !options.Value.EffectiveConnections.Contains(connection))
                throw new LinkingRefusedException("unknown_connection", "Choose one of the listed connections to link.");
            var user = await management.Users.GetAsync(primary.UserId, cancellationToken: cancellationToken);
            if (!string.IsNullOrEmpty(user.Email) && !user.EmailVerified)
                throw new LinkingRefusedException("primary_unverified", "Verify your email address before linking another account to it.");
            if (await resetReview.IsDueAsync(user, cancellationToken)) throw PasswordResetFirst();

            string? loginHint = null, targetUserId = null;
            if (!string.IsNullOrEmpty(suggestion))
            {
                var notSuggested = new LinkingRefusedException("not_suggested", "That account is not one of your suggested accounts.");
                targetUserId = SuggestionHandles.Resolve(session, suggestion) ?? throw notSuggested;
                var candidate = (await suggestions.FindAsync(user, cancellationToken)).FirstOrDefault(s => s.UserId == targetUserId)
                    ?? throw notSuggested;
                if (candidate.Connection != connection)
                    throw new LinkingRefusedException("unknown_connection", "The suggested account belongs to another connection.");
                if (FlowCatalogue.LinksDuringLogin(flowName)) throw SuggestionNotHonoured(connection);
                loginHint = connection == "sms" ? null : user.Email;
            }

            var flow = services.GetRequiredKeyedService<ILinkFlow>(flowName);
            var attempt = new LinkAttempt(
                Guid.NewGuid().ToString("N"), primary.UserId, flowName, decision.Reason, connection, targetUserId,
                clock.GetUtcNow(), string.Join(' ', user.Identities.Select(i => $"{i.Provider}|{i.UserId}")));
            var challenge = new OpenIdConnectChallengeProperties { Prompt = "login", MaxAge = TimeSpan.Zero };
            attempt.WriteTo(challenge);
            challenge.Parameters["connection"] = connection;
            if (loginHint is not null) challenge.Parameters["login_hint"] = loginHint;
            foreach (var (name, value) in await flow.ChallengeParametersAsync(primary, cancellationToken)) challenge.Parameters[name] = value;
            PendingAttempts.Add(session, attempt.Id);
            return new LinkStart(challenge, null);
        }
        catch (Exception e) when (e is LinkingRefusedException or ApiException)
        {
            return new LinkStart(null, Describe(Link, flowName, decision.Reason, e, started));
        }
    }

    /// <summary>
    /// Whether a link of this user can be held to the suggested account chosen: not through a flow whose tenant links
    /// whichever account signs in (the profile page then offers a suggestion as a plain link of its connection).
    /// </summary>
    public async Task<bool> HonoursSuggestionsAsync(CancellationToken cancellationToken) =>
        !FlowCatalogue.LinksDuringLogin((await flags.EvaluateAsync(FlagNames.LinkFlow, cancellationToken)).Variant ?? LinkFlows.AccessToken);

    private static LinkingRefusedException SuggestionNotHonoured(string connection) =>
        new("suggestion_not_honoured",
            $"With the sign-in method in use, whichever {connection} account you sign in to is linked, so the suggested account cannot be promised; nothing was linked. " +
            $"To link it, link a {connection} account and sign in to exactly that one.");

    /// <summary>Nothing changes on an account whose password reset the profile page has not answered yet.</summary>
    private static LinkingRefusedException PasswordResetFirst() =>
        new("password_reset_review", "Your password was reset: open your profile to review the accounts linked to it first.");

    /// <summary>
    /// Finishes the attempt whose secondary login came back to this session: links when the callback validated the login,
    /// records why not otherwise. Through a flow whose tenant links during the login, a failure anywhere after it says
    /// nothing about the account: the tenant's record of the primary then decides what is reported and recorded.
    /// </summary>
    /// <param name="primary">The signed-in user, or null when the session ended before the callback came back.</param>
    public async Task<LinkingOutcome> FinishLinkAsync(PrimaryUser? primary, ISession session, LinkCallbackResult result, CancellationToken cancellationToken)
    {
        var attempt = result.Attempt;
        if (!PendingAttempts.TryConsume(session, attempt.Id))
            return Describe(Link, attempt.Flow, attempt.Reason,
                new LinkingRefusedException("replayed", "That link response was already used or was not started here; nothing was linked."), Stopwatch.GetTimestamp());
        var outcome = result.Login is { } secondary
            ? await LinkAsync(primary, attempt, secondary, cancellationToken)
            : result.Failure!;
        // Another user's attempt (this browser signed in as someone else since) is not read for them.
        if (outcome.Outcome is not (Outcomes.Ok or Outcomes.Undone) && (primary is null || primary.UserId == attempt.PrimaryUserId)
            && services.GetRequiredKeyedService<ILinkFlow>(attempt.Flow) is ILinksDuringLogin flow)
            outcome = await SettleAsync(flow, attempt, outcome, cancellationToken);
        return primary is null || result.Login is not { } login
            ? outcome
            : outcome with { Shadow = await ShadowAsync(attempt.Flow, () => shadowCheck.Evaluate(primary, login.IdToken, isLink: true), cancellationToken) };
    }

    /// <summary>What the tenant did during the login, after <paramref name="failure"/>: linked, nothing (the failure stands), undone, or unknown.</summary>
    private async Task<LinkingOutcome> SettleAsync(ILinksDuringLogin flow, LinkAttempt attempt, LinkingOutcome failure, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var message = await flow.SettleAsync(attempt, cancellationToken);
            logger.LogWarning("Link attempt {Attempt} through {Flow} failed after the login ({Outcome} {Code}), but the tenant had linked: {Linked}",
                attempt.Id, attempt.Flow, failure.Outcome, failure.ErrorCode, message);
            return Ok(Link, attempt.Flow, attempt.Reason, message, started) with { Duration = failure.Duration + Stopwatch.GetElapsedTime(started) };
        }
        catch (LinkingRefusedException nothing) when (nothing.Code == "not_linked")
        {
            return failure;
        }
        catch (Exception e) when (e is LinkingUndoneException or LinkingRefusedException)
        {
            return Describe(Link, attempt.Flow, attempt.Reason, e, started) with { Duration = failure.Duration + Stopwatch.GetElapsedTime(started) };
        }
        catch (ApiException e)
        {
            var (status, why) = e switch
            {
                RateLimitApiException => ((int?)429, "it is rate-limiting requests"),
                ErrorApiException api => ((int)api.StatusCode, $"it answered {(int)api.StatusCode}"),
                _ => (null, "it did not answer in time"),
            };
            return new LinkingOutcome(Link, attempt.Flow, attempt.Reason, Outcomes.Error, status, LinkingOutcome.Unconfirmed,
                $"Linking through {attempt.Flow} could not be confirmed: with this sign-in method the tenant links during the sign-in, so the account you signed in to may be linked to yours now, " +
                $"but the tenant could not be asked ({why}). Open your profile again in a moment to see your accounts.",
                failure.Duration + Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<LinkingOutcome> LinkAsync(PrimaryUser? primary, LinkAttempt attempt, SecondaryLogin secondary, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (primary is null)
                throw new LinkingRefusedException("session_ended", "Your session ended before the link finished; sign in and start again.");
            if (primary.UserId != attempt.PrimaryUserId)
                throw new LinkingRefusedException("other_session", "That sign-in belongs to a link started by another session; nothing was linked.");
            // Asking the user to sign in again would not help: the provider left auth_time out of a max_age=0 answer.
            if (secondary.AuthTime == DateTimeOffset.MinValue)
                throw new LinkingRefusedException("no_auth_time",
                    "The sign-in service did not say when the second account signed in (its answer had no sign-in time, auth_time, "
                    + "although a fresh sign-in was asked for), so the link could not be trusted. Nothing was linked; please tell your administrator.");
            var maxAge = TimeSpan.FromSeconds(options.Value.MaxSecondaryLoginAgeSeconds);
            if (secondary.AuthTime < attempt.StartedAt.AddSeconds(-5) || clock.GetUtcNow() - attempt.StartedAt > maxAge)
                throw new LinkingRefusedException("stale_login", "The second account's sign-in was not fresh; sign in to it again.");

            var flow = services.GetRequiredKeyedService<ILinkFlow>(attempt.Flow);
            var message = await flow.CompleteAsync(new LinkRequest(primary, secondary, attempt), cancellationToken);
            return Ok(Link, attempt.Flow, attempt.Reason, message, started);
        }
        catch (Exception e) when (e is LinkingRefusedException or ApiException or LinkingPartlyDoneException or LinkingUndoneException)
        {
            return Describe(Link, attempt.Flow, attempt.Reason, e, started);
        }
    }

    public async Task<LinkingOutcome> UnlinkAsync(PrimaryUser primary, string? provider, string? userId, CancellationToken cancellationToken)
    {
        var outcome = await UnlinkOnceAsync(primary, provider, userId, cancellationToken);
        return outcome with { Shadow = await ShadowAsync(outcome.Flow, () => shadowCheck.Evaluate(primary), cancellationToken) };
    }

    /// <summary>The shadow verdict for legacy flows when <c>ShadowCheck</c> is on; null otherwise.</summary>
    private async Task<string?> ShadowAsync(string flow, Func<string> evaluate, CancellationToken cancellationToken) =>
        FlowCatalogue.IsLegacy(flow)
        && (await flags.EvaluateAsync(FlagNames.ShadowCheck, cancellationToken)).Enabled
            ? evaluate()
            : null;

    private async Task<LinkingOutcome> UnlinkOnceAsync(PrimaryUser primary, string? provider, string? userId, CancellationToken cancellationToken)
    {
        var decision = await flags.EvaluateAsync(FlagNames.UnlinkFlow, cancellationToken);
        var flowName = decision.Variant ?? UnlinkFlows.AccessToken;
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (!IsIdPart(provider) || !IsIdPart(userId))
                throw new LinkingRefusedException("invalid_identity", "Choose one of your linked identities to unlink.");
            if ($"{provider}|{userId}" == primary.UserId)
                throw new LinkingRefusedException("primary_identity", "Your primary identity cannot be unlinked.");
            // A fresh read from the tenant decides, never what the page showed.
            var user = await management.Users.GetAsync(primary.UserId, cancellationToken: cancellationToken);
            if (await resetReview.IsDueAsync(user, cancellationToken)) throw PasswordResetFirst();
            var index = Array.FindIndex(user.Identities, i => i.Provider == provider && i.UserId == userId);
            if (index == 0)
                throw new LinkingRefusedException("primary_identity", "Your primary identity cannot be unlinked.");
            if (index < 0)
                throw new LinkingRefusedException("not_your_identity", "That identity is not linked to your account.");

            await services.GetRequiredKeyedService<IUnlinkFlow>(flowName).UnlinkAsync(primary, provider!, userId!, cancellationToken);
            return Ok(Unlink, flowName, decision.Reason,
                $"Unlinked {provider}|{userId} through {flowName}; it is a separate account again.", started);
        }
        catch (Exception e) when (e is LinkingRefusedException or ApiException)
        {
            return Describe(Unlink, flowName, decision.Reason, e, started);
        }
    }

    private LinkingOutcome Ok(string operation, string flow, string reason, string message, long started) =>
        new(operation, flow, reason, Outcomes.Ok, null, null, message, Stopwatch.GetElapsedTime(started));

    private static LinkingOutcome Describe(string operation, string flow, string reason, Exception error, long started)
    {
        var (outcome, status, code, message) = LinkingOutcome.Describe(operation, flow, error);
        return new LinkingOutcome(operation, flow, reason, outcome, status, code, message, Stopwatch.GetElapsedTime(started));
    }

    private static bool IsIdPart(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 256 && !value.Any(char.IsControl);
}
