using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// An answer in Auth0's Management API error shape, <c>{statusCode, error, message, errorCode}</c>. Thrown anywhere under
/// <c>/api/v2</c>; <see cref="ManagementErrorFilter"/> writes it. <see cref="ErrorCode"/> is left out when null, as
/// Auth0 leaves it out of its framework-level errors (bad JSON, unknown route, oversize body).
/// </summary>
public sealed class ManagementApiException(int statusCode, string message, string? errorCode = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string? ErrorCode { get; } = errorCode;

    public object Body => ErrorCode is null
        ? new { statusCode = StatusCode, error = ReasonPhrases.GetReasonPhrase(StatusCode), message = Message }
        : new { statusCode = StatusCode, error = ReasonPhrases.GetReasonPhrase(StatusCode), message = Message, errorCode = ErrorCode };
}

/// <summary>The errors this Management API answers with; messages are Auth0's where Auth0 documents or records one.</summary>
public static class ManagementErrors
{
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScopeCode = "insufficient_scope";
    public const string InvalidBodyCode = "invalid_body";
    public const string InvalidQueryStringCode = "invalid_query_string";
    public const string InvalidUriCode = "invalid_uri";

    /// <summary>Largest request body the Management API reads (Auth0 rejects oversize payloads before validation too).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static ManagementApiException MissingAuthentication() =>
        new(StatusCodes.Status401Unauthorized, "Missing authentication");

    public static ManagementApiException BadAuthenticationHeader() =>
        new(StatusCodes.Status400BadRequest, "Bad HTTP authentication header format");

    public static ManagementApiException Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, message, InvalidToken);

    /// <summary>A token of this tenant that is not an access token for this API (an ID token, a /userinfo-only token).</summary>
    public static ManagementApiException BadAudience(IEnumerable<string> audiences) =>
        Unauthorized("Bad audience: " + string.Join(' ', audiences));

    public static ManagementApiException InsufficientScope(IEnumerable<string> expected) =>
        new(StatusCodes.Status403Forbidden, "Insufficient scope, expected any of: " + string.Join(',', expected), InsufficientScopeCode);

    public static ManagementApiException UnownedResource() =>
        new(StatusCodes.Status403Forbidden, "User to be acted on does not match subject in bearer token.", "unowned_resource");

    public static ManagementApiException InexistentUser(string message = "The user does not exist.") =>
        new(StatusCodes.Status404NotFound, message, "inexistent_user");

    public static ManagementApiException InvalidBody(string detail) =>
        new(StatusCodes.Status400BadRequest, $"Payload validation error: {detail}", InvalidBodyCode);

    public static ManagementApiException MalformedJson() =>
        new(StatusCodes.Status400BadRequest, "Invalid request payload JSON format", InvalidBodyCode);

    public static ManagementApiException InvalidQuery(string detail) =>
        new(StatusCodes.Status400BadRequest, $"Query validation error: {detail}", InvalidQueryStringCode);

    public static ManagementApiException InvalidUri(string message) => BadRequest(message, InvalidUriCode);

    public static ManagementApiException BadRequest(string message, string errorCode) =>
        new(StatusCodes.Status400BadRequest, message, errorCode);

    public static ManagementApiException Conflict(string message, string errorCode) =>
        new(StatusCodes.Status409Conflict, message, errorCode);

    public static ManagementApiException RouteNotFound() => new(StatusCodes.Status404NotFound, "Not Found");

    public static ManagementApiException PayloadTooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"Payload content length greater than maximum allowed: {MaxBodyBytes}");

    public static ManagementApiException UnsupportedMediaType() =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type: send the body as application/json.");
}
