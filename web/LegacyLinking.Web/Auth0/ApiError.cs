using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LegacyLinking.Web.Auth0;

/// <summary>Auth0's error body, mirroring Auth0.Core's <c>ApiError</c> (Management and Authentication API shapes).</summary>
public sealed class ApiError
{
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("errorCode")] public string? ErrorCode { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    public Dictionary<string, string> ExtraData { get; set; } = [];

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
            var known = new HashSet<string>(["error", "name", "errorCode", "code", "message", "error_description", "description"]);
            return new ApiError
            {
                Error = Text(root, "error") ?? Text(root, "name"),
                ErrorCode = Text(root, "errorCode") ?? Text(root, "code"),
                Message = Text(root, "message") ?? Text(root, "error_description") ?? Text(root, "description"),
                ExtraData = root.EnumerateObject().Where(p => !known.Contains(p.Name))
                    .ToDictionary(p => p.Name, p => p.Value.ToString()),
            };
        }
        catch (JsonException)
        {
            return new ApiError { Error = body, Message = body };
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Auth0's rate-limit headers, as Auth0.Core's <c>RateLimit</c>.</summary>
public sealed class RateLimit
{
    public long Limit { get; init; }
    public long Remaining { get; init; }
    /// <summary>Seconds from <c>Retry-After</c>, or 0.</summary>
    public long RetryAfter { get; init; }
    /// <summary>When tokens are next added (<c>x-ratelimit-reset</c>, epoch seconds).</summary>
    public DateTimeOffset? Reset { get; init; }

    public static RateLimit Parse(HttpResponseHeaders headers) => new()
    {
        Limit = Long(headers, "x-ratelimit-limit"),
        Remaining = Long(headers, "x-ratelimit-remaining"),
        RetryAfter = headers.RetryAfter?.Delta is { } delta ? (long)delta.TotalSeconds : Long(headers, "Retry-After"),
        Reset = Long(headers, "x-ratelimit-reset") is var reset and > 0 ? DateTimeOffset.FromUnixTimeSeconds(reset) : null,
    };

    private static long Long(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : 0;
}

public abstract class ApiException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Any non-success answer other than 429, as Auth0.Core's <c>ErrorApiException</c>.</summary>
public sealed class ErrorApiException(HttpStatusCode statusCode, ApiError apiError)
    : ApiException(apiError.Message ?? apiError.Error ?? statusCode.ToString())
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public ApiError ApiError { get; } = apiError;
}

/// <summary>429 after the retry budget is spent, as Auth0.Core's <c>RateLimitApiException</c>.</summary>
public sealed class RateLimitApiException(RateLimit rateLimit, ApiError apiError) : ApiException("Rate limits exceeded")
{
    public HttpStatusCode StatusCode => HttpStatusCode.TooManyRequests;
    public RateLimit RateLimit { get; } = rateLimit;
    public ApiError ApiError { get; } = apiError;
}

/// <summary>The tenant did not answer in time (or at all): a clear error instead of a bare TaskCanceledException.</summary>
public sealed class TenantUnavailableException : ApiException
{
    public TenantUnavailableException(string operation, Exception inner)
        : base($"The tenant did not answer {operation} in time: {inner.Message}", inner)
    {
    }

    /// <summary>Not asked at all: the page's time for the tenant is spent, or its circuit is open.</summary>
    public TenantUnavailableException(string message) : base(message)
    {
    }
}

internal static class ApiResponses
{
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = ApiError.Parse(body);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new RateLimitApiException(RateLimit.Parse(response.Headers), error);
        throw new ErrorApiException(response.StatusCode, error);
    }

    /// <summary>Sends, translating a client-side timeout into <see cref="TenantUnavailableException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTimeoutOrTransport(e))
        {
            throw new TenantUnavailableException($"{request.Method} {request.RequestUri?.AbsolutePath}", e);
        }
    }

    /// <summary>No answer in time, no connection, or the tenant's circuit is open (it failed too often just now).</summary>
    public static bool IsTimeoutOrTransport(Exception e) =>
        e is TaskCanceledException or TimeoutException or HttpRequestException
            or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException;
}
