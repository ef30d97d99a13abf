using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace LegacyLinking.Web.Auth0;

/// <summary><c>/api/v2/jobs…</c>, with the method name and signature of Auth0.ManagementApi's <c>IJobsClient</c>.</summary>
public sealed class JobsClient(HttpClient http, Func<CancellationToken, Task<string>> bearer)
{
    /// <summary>
    /// <c>POST /api/v2/jobs/verification-email</c> (scope <c>update:users</c>): the tenant emails the user a link that
    /// verifies their address. Answers the job (<c>201</c>); the email goes out whether or not it was already verified.
    /// </summary>
    public async Task<Job> SendVerificationEmailAsync(VerifyEmailJobRequest request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "jobs/verification-email") { Content = JsonContent.Create(request) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await bearer(cancellationToken));
        using var response = await ApiResponses.SendAsync(http, message, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<Job>(cancellationToken)
            ?? throw new ErrorApiException(response.StatusCode, new ApiError { Message = "Empty answer from POST jobs/verification-email." });
    }
}

public sealed class VerifyEmailJobRequest
{
    [JsonPropertyName("user_id")] public string UserId { get; set; } = "";
    /// <summary>The application whose settings (its callback, its name in the email) the tenant uses; its own default when absent.</summary>
    [JsonPropertyName("client_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ClientId { get; set; }
}

/// <summary>A Management API job: <c>{id, type, status, created_at}</c>.</summary>
public sealed class Job
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
}
