using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LegacyLinking.Web.Auth0;

/// <summary>Auth0's error body, mirroring Auth0.Core's <c>ApiError</c> (Management and Authentication API shapes).</summary>
public sealed class ApiError
{
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("errorCode")] public string? ErrorCode { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtraData { get; set; }

    /// <summary>
    /// Reads either shape: Management <c>{statusCode, error, message, errorCode}</c> or Authentication
    /// <c>{error, error_description}</c>; a non-JSON body becomes both Error and Message, as auth0.net does.
    /// </summary>
    public static ApiError Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return new ApiError();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return new ApiError { Error = body, Message = body };
            var root = document.RootElement;
            var error = new ApiError
            {
                Error = Text(root, "error") ?? Text(root, "name"),
                ErrorCode = Text(root, "errorCode") ?? Text(root, "code"),
                Message = Text(root, "message") ?? Text(root, "error_description") ?? Text(root, "description"),
            };
            return error;
        }
        catch (JsonException)
        {
            return new ApiError { Error = body, Message = body };
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public abstract class ApiException(string message) : Exception(message);

/// <summary>Any non-success answer other than 429, as Auth0.Core's <c>ErrorApiException</c>.</summary>
public sealed class ErrorApiException(HttpStatusCode statusCode, ApiError apiError)
    : ApiException(apiError.Message ?? statusCode.ToString())
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public ApiError ApiError { get; } = apiError;
}
