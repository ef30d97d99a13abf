using System.Diagnostics;
using LegacyLinking.Web.Auth0;
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
    PasswordResetReview resetReview,
    TimeProvider clock)
{
    public const string Link = "link";
    public const string Unlink = "unlink";

    public async Task<LinkStart> StartLinkAsync(PrimaryUser primary, ISession session, string? connection, string? targetUserId, CancellationToken cancellationToken)
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

            string? loginHint = null;
            if (!string.IsNullOrEmpty(targetUserId))
            {
                var candidate = (await suggestions.FindAsync(user, cancellationToken)).FirstOrDefault(s => s.UserId == targetUserId)
                    ?? throw new LinkingRefusedException("not_suggested", "That account is not one of your suggested accounts.");
                if (candidate.Connection != connection)
                    throw new LinkingRefusedException("unknown_connection", "The suggested account belongs to another connection.");
                loginHint = connection == "sms" ? null : user.Email;
            }

            var flow = services.GetRequiredKeyedService<ILinkFlow>(flowName);
            var attempt = new LinkAttempt(
                Guid.NewGuid().ToString("N"), primary.UserId, flowName, decision.Reason, connection, NullIfEmpty(targetUserId),
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

    /// <summary>Nothing changes on an account whose password reset the profile page has not answered yet.</summary>
    private static LinkingRefusedException PasswordResetFirst() =>
        new("password_reset_review", "Your password was reset: open your profile to review the accounts linked to it first.");

    /// <summary>Runs once the secondary authenticated and its ID token passed validation.</summary>
    public async Task<LinkingOutcome> CompleteLinkAsync(PrimaryUser? primary, ISession session, LinkAttempt attempt, SecondaryLogin secondary, CancellationToken cancellationToken)
    {
        var outcome = await LinkAsync(primary, session, attempt, secondary, cancellationToken);
        return primary is null ? outcome : outcome with { Shadow = await ShadowAsync(attempt.Flow, () => shadowCheck.Evaluate(primary, secondary.IdToken, isLink: true), cancellationToken) };
    }

    private async Task<LinkingOutcome> LinkAsync(PrimaryUser? primary, ISession session, LinkAttempt attempt, SecondaryLogin secondary, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (primary is null)
                throw new LinkingRefusedException("session_ended", "Your session ended before the link finished; sign in and start again.");
            if (primary.UserId != attempt.PrimaryUserId)
                throw new LinkingRefusedException("other_session", "That sign-in belongs to a link started by another session; nothing was linked.");
            if (!PendingAttempts.TryConsume(session, attempt.Id))
                throw new LinkingRefusedException("replayed", "That link response was already used or was not started here; nothing was linked.");
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
        catch (Exception e) when (e is LinkingRefusedException or ApiException or LinkingPartlyDoneException)
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
