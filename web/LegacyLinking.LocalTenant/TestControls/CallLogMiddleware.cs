using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// Records each call to the app-facing endpoints (<see cref="CallLog.Records"/>) after it is answered: method, path,
/// the query with secret values dropped, status, the bearer's kind, and for <c>/oauth/token</c> the grant and client.
/// </summary>
public sealed class CallLogMiddleware(RequestDelegate next, CallLog log, TimeProvider clock)
{
    /// <summary>Parameters whose values are credentials; the log keeps their names only.</summary>
    public static readonly IReadOnlySet<string> SecretParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "access_token", "id_token", "client_secret", "code", "code_verifier", "refresh_token", "password", "otp", "link_with", "ticket" };

    public const string Redacted = "redacted";
    private const int MaxBodyBytes = 64 * 1024;

    // The classifier is per request: behind a proxy the issuer depends on the address the request came through.
    public async Task InvokeAsync(HttpContext http, BearerClassifier classifier)
    {
        var request = http.Request;
        if (!CallLog.Records(request.Path))
        {
            await next(http);
            return;
        }

        var at = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        // Read before the endpoint runs: forms are cached on the request, JSON bodies are rewound for the endpoint.
        var fields = await ReadFieldsAsync(request);
        var bearer = await DescribeBearerAsync(classifier, request, fields);
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            log.Add(new CallLogEntry(
                at, request.Method, request.Path.Value ?? "/", SafeQuery(request.Query), status,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, bearer,
                fields.GetValueOrDefault("grant_type"),
                fields.GetValueOrDefault("client_id") ?? request.Query["client_id"].FirstOrDefault() ?? BasicUser(request)));
        }
    }

    private static Task<BearerInfo> DescribeBearerAsync(BearerClassifier classifier, HttpRequest request, IReadOnlyDictionary<string, string> fields)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return classifier.ClassifyAsync(authorization["Bearer ".Length..].Trim(), "header");
        // The legacy routes carry the user's token elsewhere: /unlink in the body, /authorize in the query.
        if (fields.GetValueOrDefault("access_token") is { } inBody) return classifier.ClassifyAsync(inBody, "body");
        if (request.Query["access_token"].FirstOrDefault() is { } inQuery) return classifier.ClassifyAsync(inQuery, "query");
        return Task.FromResult(BearerInfo.None);
    }

    /// <summary>The query as sent, with the values of <see cref="SecretParameters"/> replaced by "redacted".</summary>
    public static string? SafeQuery(IQueryCollection query)
    {
        if (query.Count == 0) return null;
        var safe = query.SelectMany(p => p.Value.Select(v =>
            new KeyValuePair<string, string?>(p.Key, SecretParameters.Contains(p.Key) ? Redacted : v)));
        return QueryString.Create(safe).Value;
    }

    /// <summary>
    /// The plain fields of a POSTed form or JSON object (token requests, legacy unlink, authorize), or none. Management
    /// API bodies are not read: the log does not describe them.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, string>> ReadFieldsAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength > MaxBodyBytes || request.Path.StartsWithSegments("/api"))
            return fields;
        try
        {
            if (request.HasFormContentType)
            {
                foreach (var (key, value) in await request.ReadFormAsync(request.HttpContext.RequestAborted))
                    if (value.FirstOrDefault() is { } first) fields[key] = first;
            }
            else if (request.HasJsonContentType())
            {
                request.EnableBuffering(MaxBodyBytes);
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                    foreach (var property in json.RootElement.EnumerateObject())
                        if (property.Value.ValueKind == JsonValueKind.String) fields[property.Name] = property.Value.GetString()!;
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or JsonException or BadHttpRequestException or IOException)
        {
            // Malformed input: the endpoint answers it; the log just has no fields.
        }
        finally
        {
            if (request.Body.CanSeek) request.Body.Position = 0;
        }
        return fields;
    }

    /// <summary>client_secret_basic: the client id is the user name; the password part is never read.</summary>
    private static string? BasicUser(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return Uri.UnescapeDataString(colon < 0 ? decoded : decoded[..colon]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
