using LegacyLinking.LocalTenant.Management;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.ApiErrors;

/// <summary>
/// Auth0's two error shapes: the Management API's <c>{statusCode, error, message, errorCode}</c> and the Authentication
/// API's <c>{error, error_description}</c> (<c>/oauth/token</c>, <c>/userinfo</c>, <c>/unlink</c>, …).
/// </summary>
public static class Auth0ErrorBody
{
    public const string TooManyRequestsMessage =
        "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";

    public static bool IsManagementApi(PathString path) => path.StartsWithSegments("/api/v2");

    public static object Management(int status, string message, string? errorCode = null) =>
        new ManagementApiException(status, message, errorCode).Body;

    public static object Authentication(string error, string description) => new { error, error_description = description };

    /// <summary>The body Auth0 sends with a 429, in the shape of the API the path belongs to.</summary>
    public static object TooManyRequests(PathString path) => IsManagementApi(path)
        ? Management(StatusCodes.Status429TooManyRequests, TooManyRequestsMessage, "too_many_requests")
        : Authentication("too_many_requests", TooManyRequestsMessage);

    /// <summary>An Auth0-shaped error for <paramref name="status"/> on <paramref name="path"/>.</summary>
    public static object For(PathString path, int status, string message)
    {
        if (status == StatusCodes.Status429TooManyRequests) return TooManyRequests(path);
        if (IsManagementApi(path)) return Management(status, message);
        var error = status switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            // Auth0 answers failed client authentication with access_denied, not RFC 6749's invalid_client.
            StatusCodes.Status401Unauthorized => "access_denied",
            StatusCodes.Status403Forbidden => "access_denied",
            StatusCodes.Status503ServiceUnavailable => "temporarily_unavailable",
            _ => "server_error",
        };
        return Authentication(error, message);
    }
}
