using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LegacyLinking.Web.Auth0;

/// <summary>A tenant log event, as Auth0.ManagementApi's <c>LogEntry</c>.</summary>
public sealed class LogEntry
{
    [JsonPropertyName("log_id")] public string LogId { get; set; } = "";
    [JsonPropertyName("date")] public DateTimeOffset Date { get; set; }
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("client_id")] public string? ClientId { get; set; }
    [JsonPropertyName("client_name")] public string? ClientName { get; set; }
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonPropertyName("details")] public JsonObject? Details { get; set; }
}

/// <summary><c>GET /api/v2/logs</c> with checkpoint paging (<c>from</c> + <c>take</c>), as the SDK's <c>Logs.GetAllAsync</c>.</summary>
public sealed class LogsClient(HttpClient http, Func<CancellationToken, Task<string>> bearer)
{
    public async Task<IList<LogEntry>> GetAllAsync(string? query, string? from, int take, CancellationToken cancellationToken = default)
    {
        var parameters = new List<string> { "take=" + take.ToString(CultureInfo.InvariantCulture) };
        if (query is not null) parameters.Add("q=" + Uri.EscapeDataString(query));
        if (from is not null) parameters.Add("from=" + Uri.EscapeDataString(from));
        using var request = new HttpRequestMessage(HttpMethod.Get, "logs?" + string.Join('&', parameters));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await bearer(cancellationToken));
        using var response = await ApiResponses.SendAsync(http, request, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<LogEntry>>(cancellationToken) ?? [];
    }
}
