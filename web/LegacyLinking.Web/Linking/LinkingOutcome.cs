using System.Net;
using LegacyLinking.Web.Auth0;

namespace LegacyLinking.Web.Linking;

public static class Outcomes
{
    public const string Ok = "ok";
    /// <summary>The app said no (a guard) before calling the tenant.</summary>
    public const string Refused = "refused";
    /// <summary>The tenant said no.</summary>
    public const string Rejected = "rejected";
    public const string Error = "error";
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
