using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LegacyLinking.Web.Health;

/// <summary>
/// <c>{"status": "Healthy|Degraded|Unhealthy", "checks": {"database": {"status": …, "description": …}, …}}</c>: the
/// overall answer for a load balancer (its HTTP status says the same), each check's own for an operator. Descriptions
/// are the app's own words, never a connection string or a dependency's message.
/// </summary>
public static class HealthResponse
{
    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }
}
