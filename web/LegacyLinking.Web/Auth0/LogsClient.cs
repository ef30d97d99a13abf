using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace LegacyLinking.Web.Auth0;

/// <summary>A tenant log event, as Auth0.ManagementApi's <c>LogEntry</c> (the fields this app reads).</summary>
public sealed class LogEntry
{
    [JsonPropertyName("log_id")] public string LogId { get; set; } = "";
    [JsonPropertyName("date")] public DateTimeOffset Date { get; set; }
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("client_id")] public string? ClientId { get; set; }
    [JsonPropertyName("client_name")] public string? ClientName { get; set; }
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    /// <summary>Auth0 promises no shape for it; the app reads nothing from it.</summary>
    [JsonPropertyName("details")] public JsonObject? Details { get; set; }
}

/// <summary>A search for log events (Auth0's <c>q</c>, <c>sort</c>, <c>page</c>, <c>per_page</c>, <c>fields</c>).</summary>
public sealed record LogSearch(string? Query = null, string? Sort = null, int Page = 0, int PerPage = 50, string? Fields = null);

/// <summary>One answer of <c>GET /logs</c>: its events, the checkpoint mode's next page (<c>Link rel="next"</c>) and the rate-limit headers.</summary>
public sealed record LogsPage(IReadOnlyList<LogEntry> Entries, Uri? Next, RateLimit RateLimit);

/// <summary>
/// <c>GET /api/v2/logs</c> in Auth0's two modes. By checkpoint, only the first request is built
/// (<see cref="FirstCheckpointPage"/>); every later one is the <c>Link</c> header's <c>next</c> URL, as Auth0 asks,
/// and only ever one on this tenant's log route (the bearer never goes anywhere else). Its own HTTP client retries
/// nothing: the background reader that uses it decides itself when to call again.
/// </summary>
public sealed partial class LogsClient(HttpClient http, ManagementTokenCache tokens)
{
    public const int MaxTake = 100;

    /// <summary>The first checkpoint request: events after <paramref name="from"/>.</summary>
    public Uri FirstCheckpointPage(string from, int take = MaxTake) =>
        new(http.BaseAddress!, $"logs?from={Uri.EscapeDataString(from)}&take={take.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A checkpoint page at <paramref name="url"/> (from <see cref="FirstCheckpointPage"/> or a previous page's <see cref="LogsPage.Next"/>).</summary>
    public Task<LogsPage> GetPageAsync(Uri url, CancellationToken cancellationToken = default)
    {
        var logs = new Uri(http.BaseAddress!, "logs");
        if (!url.IsAbsoluteUri || Uri.Compare(url, logs, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            throw new InvalidOperationException($"The tenant's next log page is not on its log route ({logs}); refusing to send the bearer to {url.GetLeftPart(UriPartial.Path)}.");
        return SendAsync(url, cancellationToken);
    }

    public Task<LogsPage> SearchAsync(LogSearch search, CancellationToken cancellationToken = default)
    {
        var parameters = new List<string>
        {
            "page=" + search.Page.ToString(CultureInfo.InvariantCulture),
            "per_page=" + search.PerPage.ToString(CultureInfo.InvariantCulture),
        };
        if (search.Query is not null) parameters.Add("q=" + Uri.EscapeDataString(search.Query));
        if (search.Sort is not null) parameters.Add("sort=" + Uri.EscapeDataString(search.Sort));
        if (search.Fields is not null) parameters.Add("fields=" + Uri.EscapeDataString(search.Fields) + "&include_fields=true");
        return SendAsync(new Uri(http.BaseAddress!, "logs?" + string.Join('&', parameters)), cancellationToken);
    }

    private async Task<LogsPage> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        using var response = await ApiResponses.SendAsync(http, request, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        var entries = await response.Content.ReadFromJsonAsync<List<LogEntry>>(cancellationToken) ?? [];
        return new LogsPage(entries, NextLink(response.Headers), RateLimit.Parse(response.Headers));
    }

    /// <summary>The <c>rel="next"</c> target of the <c>Link</c> header, or null.</summary>
    private static Uri? NextLink(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values)) return null;
        foreach (Match link in LinkValue().Matches(string.Join(",", values)))
        {
            if (link.Groups["rel"].Value.Split(' ').Contains("next", StringComparer.OrdinalIgnoreCase)
                && Uri.TryCreate(link.Groups["url"].Value, UriKind.Absolute, out var next))
                return next;
        }
        return null;
    }

    [GeneratedRegex("""<(?<url>[^>]*)>\s*;\s*rel="?(?<rel>[^";,]+)"?""")]
    private static partial Regex LinkValue();
}
