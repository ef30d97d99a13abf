using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// Auth0's <c>/oauth/token</c> also takes a JSON body (its samples post JSON); OpenIddict reads only forms, so a JSON
/// object of scalar values is rewritten as the equivalent form before OpenIddict sees the request.
/// </summary>
public sealed class JsonTokenRequestMiddleware(RequestDelegate next)
{
    public const string TokenPath = "/oauth/token";
    private const int MaxBodyBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsPost(http.Request.Method)
            && http.Request.Path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase)
            && http.Request.HasJsonContentType())
        {
            var form = await ReadAsFormAsync(http.Request);
            if (form is null)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsJsonAsync(new
                {
                    error = "invalid_request",
                    error_description = "The request body must be a JSON object of string, number or boolean values.",
                });
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(form);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/x-www-form-urlencoded";
        }
        await next(http);
    }

    private static async Task<string?> ReadAsFormAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        // Kestrel stops a longer body with a 413 instead of letting it be buffered here.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        if (buffer.Length > MaxBodyBytes) return null;
        try
        {
            using var json = JsonDocument.Parse(buffer.ToArray());
            if (json.RootElement.ValueKind != JsonValueKind.Object) return null;
            var fields = new List<KeyValuePair<string, string?>>();
            foreach (var property in json.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String: fields.Add(new(property.Name, property.Value.GetString())); break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        fields.Add(new(property.Name, property.Value.GetRawText())); break;
                    case JsonValueKind.Null: break;
                    default: return null;
                }
            }
            return QueryString.Create(fields).ToUriComponent().TrimStart('?');
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
