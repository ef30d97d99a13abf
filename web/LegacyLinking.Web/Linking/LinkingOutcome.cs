using System.Net;
using LegacyLinking.Web.Auth0;

namespace LegacyLinking.Web.Linking;

/// <summary>The outcomes a request is recorded with, each described once here (the migration page lists these words).</summary>
public static class Outcomes
{
    public const string Ok = "ok";
    /// <summary>The app said no (a guard) before calling the tenant.</summary>
    public const string Refused = "refused";
    /// <summary>The tenant said no.</summary>
    public const string Rejected = "rejected";
    public const string Error = "error";
    /// <summary>
    /// The tenant linked another account than the one chosen, during the login (a flow that links there), and the app
    /// took it off again: that account is a new one since, without <see cref="UndoneLoss"/>.
    /// </summary>
    public const string Undone = "undone";

    /// <summary>What an account linked and unlinked again no longer has: Auth0 keeps none of it through a link and an unlink.</summary>
    public const string UndoneLoss =
        "its user_metadata and app_metadata, its creation date (created_at) and its sign-in count and last sign-in (logins_count, last_login)";

    /// <summary>Every outcome with what it means, in the order the migration page lists them.</summary>
    public static readonly IReadOnlyList<(string Outcome, string Meaning)> All =
    [
        (Ok, "done"),
        (Refused, "the app said no: one of its guards, a link callback it could not verify, or a link the tenant did not make"),
        (Rejected, "the tenant said no"),
        (Error, "the tenant did not answer, or a link through a flow that links during the sign-in could not be confirmed (unconfirmed)"),
        (Undone, $"the tenant linked another account than the one chosen during the sign-in and the app took it off again; that account lost {UndoneLoss}"),
    ];
}

/// <summary>What one link/unlink/suggestion request did: the fields the page shows and the migration page records.</summary>
public sealed record LinkingOutcome(
    string Operation,
    string Flow,
    string Reason,
    string Outcome,
    int? Status,
    string? ErrorCode,
    string Message,
    TimeSpan Duration,
    string? Shadow = null)
{
    public bool Succeeded => Outcome == Outcomes.Ok;

    /// <summary>The error code of a link that a flow linking during the sign-in could not confirm either way.</summary>
    public const string Unconfirmed = "unconfirmed";

    /// <summary>
    /// Whether the tenant may have changed who can sign in as the user, so the user's other sessions end: a success, a
    /// link the app undid, or one it could not confirm.
    /// </summary>
    public bool MayHaveChangedIdentities => Outcome is Outcomes.Ok or Outcomes.Undone || ErrorCode == Unconfirmed;

    /// <summary>The page's status line; "Error" first picks the error style (the Identity UI convention).</summary>
    public string StatusMessage => Succeeded ? Message : "Error: " + Message;

    /// <summary>Turns what went wrong into plain language naming the flow and the cause — never a stack trace.</summary>
    public static (string Outcome, int? Status, string? ErrorCode, string Message) Describe(string operation, string flow, Exception error)
    {
        if (error is LinkingPartlyDoneException partly)
        {
            var (outcome, status, code, message) = Describe(operation, flow, partly.InnerException!);
            return (outcome, status, code, $"{message} {partly.Done}");
        }
        var verb = operation == "unlink" ? "Unlinking" : "Linking";
        return error switch
        {
            LinkingRefusedException refused => (Outcomes.Refused, null, refused.Code, refused.Message),
            LinkingUndoneException undone => (Outcomes.Undone, null, "wrong_account", undone.Message),
            RateLimitApiException limited => (Outcomes.Rejected, 429, limited.ApiError.ErrorCode ?? "too_many_requests",
                $"{verb} through {flow} was rate-limited by the tenant (429); try again in {Math.Max(limited.RateLimit.RetryAfter, 1)} s."),
            ErrorApiException api => (Outcomes.Rejected, (int)api.StatusCode, api.ApiError.ErrorCode ?? api.ApiError.Error,
                $"{verb} through {flow} was rejected by the tenant ({(int)api.StatusCode}{Code(api)}): {Cause(flow, api)}"),
            TenantUnavailableException unavailable => (Outcomes.Error, null, "tenant_unavailable",
                $"{verb} through {flow} failed: {unavailable.Message}"),
            _ => (Outcomes.Error, null, "unexpected", $"{verb} through {flow} failed unexpectedly; nothing else was attempted."),
        };
    }

    private static string Code(ErrorApiException api) =>
        (api.ApiError.ErrorCode ?? api.ApiError.Error) is { } code ? $" {code}" : "";

    private static string Cause(string flow, ErrorApiException api)
    {
        var said = api.ApiError.Message ?? api.StatusCode.ToString();
        return api.StatusCode switch
        {
            HttpStatusCode.Unauthorized when FlowCatalogue.IsLegacy(flow) =>
                $"{said} The tenant no longer accepts this deprecated flow (its tenant flag is off).",
            HttpStatusCode.Unauthorized => $"{said} The token was not accepted.",
            HttpStatusCode.Forbidden => $"{said} The token lacks the permission for this account or operation.",
            HttpStatusCode.Conflict => $"{said} The account is already linked elsewhere.",
            _ => said,
        };
    }
}
