namespace LegacyLinking.Web.Authentication;

/// <summary>
/// The error codes a tenant sends back to a callback (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6). A callback URL
/// is written by whoever sent the browser there, so a page shows nothing from it but a code on this list — never the
/// <c>error_description</c>.
/// </summary>
public static class TenantErrors
{
    /// <summary>What a code not on the list is shown and recorded as.</summary>
    public const string Unknown = "unknown_error";

    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "invalid_request", "unauthorized_client", "access_denied", "unsupported_response_type", "invalid_scope",
        "server_error", "temporarily_unavailable", "interaction_required", "login_required", "account_selection_required",
        "consent_required", "invalid_request_uri", "invalid_request_object", "request_not_supported",
        "request_uri_not_supported", "registration_not_supported",
    };

    /// <summary>The code as sent when it is a known one, otherwise <see cref="Unknown"/>.</summary>
    public static string Known(string? error) => error is not null && Codes.Contains(error) ? error : Unknown;

    /// <summary>Callback text for a log line: single-line and bounded (log sinks are read by engineers, not rendered).</summary>
    public static string Clean(string? text, int max)
    {
        var line = new string((text ?? "").Where(c => !char.IsControl(c)).ToArray());
        return line.Length <= max ? line : line[..max] + "…";
    }
}
