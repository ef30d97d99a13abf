using System.Diagnostics;
using System.Text.Json.Nodes;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking.Flows;
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
            var challenge = new OpenIdConnectChallengeProperties { Prompt = "login", MaxAge = TimeSpan.Zero, RedirectUri = "/Profile" };
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
        var merged = "";
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
            if (flow is LegacyAuthorizeLinkFlow)
                return await ConfirmTenantLinkAsync(primary, attempt, flow, secondary, started, cancellationToken);

            if (secondary.UserId == primary.UserId)
                throw new LinkingRefusedException("same_account", "That is the account you are signed in with; sign in to the other account to link it.");
            if (attempt.TargetUserId is { } target && secondary.UserId != target)
                throw new LinkingRefusedException("wrong_account", "You signed in to a different account than the one you chose; nothing was linked.");
            if (attempt.TargetUserId is not null && !secondary.EmailVerified)
                throw new LinkingRefusedException("secondary_unverified", "The suggested account's email is not verified; nothing was linked.");

            if (await flags.EvaluateAsync(FlagNames.MergeMetadata, cancellationToken) is { Enabled: true })
                merged = await MergeMetadataAsync(primary.UserId, secondary.UserId, cancellationToken);

            await flow.LinkAsync(primary, secondary, cancellationToken);
            var what = merged.Length > 0 ? $" Its metadata was merged into yours first ({merged})." : "";
            return Ok(Link, attempt.Flow, attempt.Reason, $"Linked {secondary.UserId} to your account through {attempt.Flow}.{what}", started);
        }
        catch (Exception e) when (e is LinkingRefusedException or ApiException)
        {
            var outcome = Describe(Link, attempt.Flow, attempt.Reason, e, started);
            return merged.Length == 0 ? outcome
                : outcome with { Message = $"{outcome.Message} Your metadata was already updated ({merged}); the link itself did not happen." };
        }
    }

    public async Task<LinkingOutcome> UnlinkAsync(PrimaryUser primary, string? provider, string? userId, CancellationToken cancellationToken)
    {
        var outcome = await UnlinkOnceAsync(primary, provider, userId, cancellationToken);
        return outcome with { Shadow = await ShadowAsync(outcome.Flow, () => shadowCheck.Evaluate(primary), cancellationToken) };
    }

    /// <summary>The shadow verdict for legacy flows when <c>ShadowCheck</c> is on; null otherwise.</summary>
    private async Task<string?> ShadowAsync(string flow, Func<string> evaluate, CancellationToken cancellationToken) =>
        flow.StartsWith("Legacy", StringComparison.Ordinal)
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

    /// <summary>
    /// The Lock-era flow linked during the login; the app confirms through the Management API what the tenant did and
    /// undoes a link to an account other than the chosen one.
    /// </summary>
    private async Task<LinkingOutcome> ConfirmTenantLinkAsync(PrimaryUser primary, LinkAttempt attempt, ILinkFlow flow, SecondaryLogin secondary, long started, CancellationToken cancellationToken)
    {
        if (secondary.UserId != primary.UserId)
            throw new LinkingRefusedException("not_linked", "The tenant signed in the other account instead of linking it (the legacy /authorize linking is switched off); nothing was linked.");
        var before = attempt.KnownIdentities.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var identities = await flow.LinkAsync(primary, secondary, cancellationToken);
        var added = identities.Select(i => $"{i.Provider}|{i.UserId}").FirstOrDefault(id => !before.Contains(id))
            ?? throw new LinkingRefusedException("not_linked", "The tenant finished the sign-in but linked nothing.");
        if (attempt.TargetUserId is { } target && added != target)
        {
            var parts = added.Split('|', 2);
            await management.Users.UnlinkAccountAsync(primary.UserId, parts[0], parts[1], cancellationToken);
            throw new LinkingRefusedException("wrong_account", "You signed in to a different account than the one you chose; the tenant's link was undone.");
        }
        return Ok(Link, attempt.Flow, attempt.Reason,
            $"Linked {added} to your account through {attempt.Flow} (the tenant linked it during the sign-in).", started);
    }

    /// <summary>Merges the secondary's metadata into the primary and PATCHes only what changes; says what was written.</summary>
    private async Task<string> MergeMetadataAsync(string primaryId, string secondaryId, CancellationToken cancellationToken)
    {
        var primary = await management.Users.GetAsync(primaryId, cancellationToken: cancellationToken);
        var secondary = await management.Users.GetAsync(secondaryId, cancellationToken: cancellationToken);
        var userMetadata = MetadataMerge.Changes(primary.UserMetadata, MetadataMerge.Merge(primary.UserMetadata, secondary.UserMetadata));
        var appMetadata = MetadataMerge.Changes(primary.AppMetadata, MetadataMerge.Merge(primary.AppMetadata, secondary.AppMetadata));
        if (userMetadata.Count == 0 && appMetadata.Count == 0) return "";
        await management.Users.UpdateAsync(primaryId, new UserUpdateRequest
        {
            UserMetadata = userMetadata.Count > 0 ? userMetadata : null,
            AppMetadata = appMetadata.Count > 0 ? appMetadata : null,
        }, cancellationToken);
        return string.Join("; ", new[] { ("user_metadata", userMetadata), ("app_metadata", appMetadata) }
            .Where(p => p.Item2.Count > 0)
            .Select(p => $"{p.Item1}: {string.Join(", ", p.Item2.Select(kv => kv.Key))}"));
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
