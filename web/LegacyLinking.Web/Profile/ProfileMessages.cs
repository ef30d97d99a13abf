using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.Profile;

/// <summary>
/// Every message the profile page can give its user, in plain words with what to do next. The recorded outcome's own
/// message (flow names, tenant codes and text) is for QA: the page shows it to members of the <c>qa</c> group only.
/// A message that starts with "Error" is shown in the error style (<see cref="LinkingOutcome.StatusMessage"/>).
/// </summary>
public static class ProfileMessages
{
    public const string TryAgainOrAdmin = "Try again in a moment; if it keeps happening, tell your administrator.";

    public const string VerifyFirst =
        "Error: Linking needs a verified email address, so nothing was linked. Open the link in the verification email we sent you "
        + "(or send it again from this page), then link the account.";

    /// <summary>A link callback whose result this session no longer holds (replayed, forged, expired, another browser).</summary>
    public const string CallbackExpired =
        "Error: That sign-in could not be used for a link (it was already used, had expired, or came from another browser). "
        + "Nothing was linked. Start again from this page.";

    /// <summary>What the page says after a link or an unlink, by what happened rather than how.</summary>
    /// <param name="connection">The connection the user chose to link, or the provider of the identity unlinked.</param>
    public static string For(LinkingOutcome outcome, string? connection)
    {
        var method = connection is null ? "other" : Providers.Of(connection, connection).Name;
        var unlink = outcome.Operation == "unlink";
        if (outcome.Succeeded)
        {
            return unlink
                ? $"Your {method} account is unlinked: it is a separate account again, and signing in with it no longer opens this one."
                : $"Your {method} account is linked: signing in with it now opens this account.{MergeSentences(outcome.Message)}";
        }
        return "Error: " + (outcome.Outcome == Outcomes.Undone ? Undone : Failure(outcome, unlink, method));
    }

    /// <summary>What the metadata merge copied and left out (<see cref="MergeResult.Describe"/>): the user should know.</summary>
    private static string MergeSentences(string message)
    {
        var copied = message.IndexOf(MergeResult.CopiedPrefix, StringComparison.Ordinal);
        var leftOut = message.IndexOf(MergeResult.LeftOutPrefix, StringComparison.Ordinal);
        var from = copied >= 0 ? copied : leftOut;
        return from >= 0 ? message[from..] : "";
    }

    private const string Undone =
        "You signed in to a different account than the one you chose. The sign-in service linked it anyway, so we took it off your "
        + "account again; that other account lost its saved settings in the process. Try again and sign in to the account you chose.";

    private static string Failure(LinkingOutcome outcome, bool unlink, string method)
    {
        var nothing = unlink ? "Nothing was unlinked." : "Nothing was linked.";
        return (outcome.ErrorCode, outcome.Status) switch
        {
            ("primary_unverified", _) => VerifyFirst["Error: ".Length..],
            ("unknown_connection", _) => $"That kind of account cannot be linked here. {nothing} Choose one of the buttons under \"Link another account\".",
            ("not_suggested", _) => $"That account is no longer suggested for you. {nothing} Reload the page and choose from the list.",
            ("same_account", _) => $"You signed in to the account you are already using. {nothing} To link another account, sign in to that other account when asked.",
            ("wrong_account", _) => $"You signed in to a different account than the one you chose. {nothing} Try again and sign in to the account you chose.",
            ("secondary_unverified", _) => $"That account's email is not verified. {nothing} Verify it first (sign in to it and follow its verification email), then try again.",
            ("replayed" or "invalid_callback", _) => CallbackExpired["Error: ".Length..],
            ("suggestion_not_honoured", _) =>
                $"With the sign-in method in use just now, we cannot make sure the suggested account is the one that gets linked. {nothing} "
                + $"Use \"Link a {method} account\" instead, and sign in to exactly that account.",
            ("incomplete_callback", _) => $"The sign-in came back incomplete. {nothing} Start again from this page.",
            ("session_ended", _) => $"Your session ended before the link finished. {nothing} Sign in and start the link again.",
            ("other_session", _) => $"That sign-in belongs to a link started in another browser or tab. {nothing} Start the link again here.",
            ("stale_login", _) => $"The other account's sign-in was not fresh. {nothing} Start again and sign in to it when asked.",
            ("no_auth_time", _) => $"The sign-in service did not say when you signed in, so we could not check it. {nothing} Please tell your administrator.",
            ("missing_token", _) => $"Your session is missing something this needs. {nothing} Sign out, sign in again and try again.",
            ("not_linked", _) when outcome.Message.Contains("switched off", StringComparison.Ordinal) => SwitchedOff(unlink, nothing),
            ("not_linked", _) => $"The sign-in finished but the account was not linked. {TryAgainOrAdmin}",
            ("invalid_identity" or "not_your_identity", _) => $"That account is not linked to yours (it may have been unlinked already). {nothing} Reload the page to see the accounts linked now.",
            ("primary_identity", _) => "This is the account you sign in with, so it cannot be unlinked. You can unlink any of the other accounts listed.",
            ("password_reset_review", _) => $"Your password was reset: review the accounts that were linked to yours first (above). {nothing}",
            (LinkingOutcome.Unconfirmed, _) => $"We could not confirm whether your {method} account was linked. Reload the page: if it is not in your list, link it again.",
            ("tenant_unavailable", _) when !unlink && outcome.Message.Contains("second account's sign-in", StringComparison.Ordinal) =>
                $"The sign-in service did not answer while you signed in to the other account. {nothing} Try again in a moment.",
            ("tenant_unavailable", _) => $"The sign-in service did not answer. {nothing} {TryAgainOrAdmin}",
            (_, 429) => $"The sign-in service is busy. {nothing} Wait a minute and try again.",
            // What a deprecated flow meets once its tenant flag is off: 401 (ID token bearer), 404 (/unlink gone), or
            // the tenant refusing /authorize?access_token= (invalid_request).
            (_, 401 or 404) when FlowCatalogue.IsLegacy(outcome.Flow) => SwitchedOff(unlink, nothing),
            ("invalid_request", null) when FlowCatalogue.IsLegacy(outcome.Flow) && outcome.Outcome == Outcomes.Rejected => SwitchedOff(unlink, nothing),
            (_, 401) => $"Your sign-in is no longer accepted for this. {nothing} Sign out, sign in again and try again.",
            (_, 403) => $"This app is not allowed to change your accounts. {nothing} Please tell your administrator.",
            (_, 409) => $"That account is already linked to another account. {nothing} Unlink it there first, then try again.",
            (_, 404) => $"The sign-in service no longer knows that account. {nothing} Reload the page to see your accounts.",
            (_, null) when outcome.Outcome == Outcomes.Rejected =>
                $"The sign-in service refused the other account's sign-in. {nothing} Try again; if it keeps happening, tell your administrator.",
            _ => $"Something went wrong. {nothing} {TryAgainOrAdmin}",
        };
    }

    private static string SwitchedOff(bool unlink, string nothing) =>
        $"This way of {(unlink ? "unlinking" : "linking")} has been switched off on the sign-in service. {nothing} Please tell your administrator.";

    /// <summary>Why the profile could not be loaded, without the tenant's own text (such as "Bad audience: …").</summary>
    public static string LoadFailed(ApiException error) => error switch
    {
        RateLimitApiException => "The sign-in service is busy, so your accounts cannot be shown just now. Nothing was changed; try again in a minute.",
        TenantUnavailableException => "The sign-in service did not answer in time, so your accounts cannot be shown just now. Nothing was changed; try again in a moment.",
        _ => "The sign-in service refused to show your accounts to this app. Nothing was changed. " + TryAgainOrAdmin,
    };

    /// <summary>The tenant's own words for QA: status, code and message.</summary>
    public static string? LoadFailedDetail(ApiException error) => error is ErrorApiException api
        ? $"The tenant answered {(int)api.StatusCode} ({api.ApiError.ErrorCode ?? api.ApiError.Error}): {api.ApiError.Message}"
        : error.Message;
}
