using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// Raw HTTP to the tenant's Management API (<c>/api/v2/…</c>) and its legacy endpoints, with the bearer given per
/// call, so tests see exactly the status, headers and body the tenant sends.
/// </summary>
public sealed class TenantApi(HttpClient http, Uri tenant)
{
    public Uri Base { get; } = new(tenant, "/api/v2/");

    public Task<ApiReply> GetAsync(string path, string? bearer) => SendAsync(HttpMethod.Get, path, bearer);

    public Task<ApiReply> DeleteAsync(string path, string? bearer) => SendAsync(HttpMethod.Delete, path, bearer);

    public Task<ApiReply> PostAsync(string path, string? bearer, object body) => SendAsync(HttpMethod.Post, path, bearer, Json(body));

    public Task<ApiReply> PatchAsync(string path, string? bearer, object body) => SendAsync(HttpMethod.Patch, path, bearer, Json(body));

    /// <summary>Sends to <c>/api/v2/{path}</c>; <paramref name="path"/> is used verbatim (escape ids yourself, see <see cref="UserPath"/>).</summary>
    public async Task<ApiReply> SendAsync(HttpMethod method, string path, string? bearer, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Base, path)) { Content = content };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await SendAsync(request);
    }

    /// <summary>Sends to a path of the tenant itself (e.g. <c>/unlink</c>).</summary>
    public async Task<ApiReply> PostToTenantAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(tenant, path)) { Content = content };
        return await SendAsync(request);
    }

    public async Task<ApiReply> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonElement json = default;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            json = JsonDocument.Parse(text).RootElement.Clone();
        return new ApiReply(response.StatusCode, json, text, response.Content.Headers.ContentType?.MediaType)
        {
            Headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary><c>users/{escaped id}</c> plus an optional suffix, escaped as the SDKs do (<c>auth0|x</c> → <c>auth0%7Cx</c>).</summary>
    public static string UserPath(string userId, string suffix = "") => $"users/{Uri.EscapeDataString(userId)}{suffix}";

    public static StringContent Json(object body) =>
        new(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}

/// <summary>One answer: status, the parsed JSON (default when not JSON), the raw text.</summary>
public sealed record ApiReply(HttpStatusCode Status, JsonElement Json, string Text, string? MediaType)
{
    /// <summary>The response headers (not the content headers), by name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Asserts the status and Auth0's Management API error body, field by field and nothing more.</summary>
    public ApiReply IsError(HttpStatusCode status, string message, string? errorCode)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {this}");
        Assert.Equal("application/json", MediaType);
        Assert.Equal((int)status, Json.GetProperty("statusCode").GetInt32());
        Assert.Equal(ReasonPhrase(status), Json.GetProperty("error").GetString());
        Assert.Equal(message, Json.GetProperty("message").GetString());
        if (errorCode is null) Assert.False(Json.TryGetProperty("errorCode", out _), $"no errorCode expected: {Text}");
        else Assert.Equal(errorCode, Json.GetProperty("errorCode").GetString());
        Assert.Equal(errorCode is null ? 3 : 4, Json.EnumerateObject().Count());
        return this;
    }

    /// <summary>Asserts a 4xx in Auth0's error shape with the given errorCode, whatever the message.</summary>
    public ApiReply IsErrorWithCode(HttpStatusCode status, string? errorCode)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {this}");
        return IsError(status, Json.GetProperty("message").GetString()!, errorCode);
    }

    /// <summary>Asserts the Authentication API's <c>{error, error_description}</c>.</summary>
    public ApiReply IsAuthenticationError(HttpStatusCode status, string error)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {this}");
        Assert.Equal(error, Json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("error_description").GetString()));
        return this;
    }

    public ApiReply IsSuccess(HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {this}");
        return this;
    }

    public string Message => Json.GetProperty("message").GetString()!;

    public override string ToString() => $"{(int)Status} {Text}";

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.RequestEntityTooLarge => "Payload Too Large",
        HttpStatusCode.UnsupportedMediaType => "Unsupported Media Type",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Add the reason phrase Auth0 uses."),
    };
}
