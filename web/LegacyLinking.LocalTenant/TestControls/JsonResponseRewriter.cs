using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>Runs the rest of the pipeline with the response buffered, so a test control can change a JSON answer.</summary>
internal static class JsonResponseRewriter
{
    /// <summary><paramref name="change"/> gets a 200 JSON object body to edit in place; it says whether it changed it.</summary>
    public static async Task RunAsync(HttpContext http, RequestDelegate next, Func<JsonObject, bool> change)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (http.Response.StatusCode == StatusCodes.Status200OK
            && http.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            && JsonNode.Parse(body) is JsonObject json
            && change(json))
            body = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        http.Response.ContentLength = body.Length;
        await original.WriteAsync(body, http.RequestAborted);
    }
}
