using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// Reads a Management API JSON body the way Auth0 validates it: JSON only, at most
/// <see cref="ManagementErrors.MaxBodyBytes"/>, an object, no duplicate or unknown properties, typed values.
/// </summary>
public static class ManagementBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, IReadOnlyCollection<string> allowed)
    {
        if (!request.HasJsonContentType()) throw ManagementErrors.UnsupportedMediaType();
        if (request.ContentLength > ManagementErrors.MaxBodyBytes) throw ManagementErrors.PayloadTooLarge();
        // A longer chunked body is stopped by Kestrel (BadHttpRequestException 413) instead of being buffered here.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ManagementErrors.MaxBodyBytes;

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length > ManagementErrors.MaxBodyBytes) throw ManagementErrors.PayloadTooLarge();
        if (buffer.Length == 0) return [];

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.ToArray(), documentOptions: Options);
        }
        catch (JsonException)
        {
            throw ManagementErrors.MalformedJson();
        }
        catch (InvalidOperationException)
        {
            // A property name that escapes half of a surrogate pair (names are unescaped while parsing).
            throw UnpairedSurrogate(null);
        }
        if (node is not JsonObject body) throw ManagementErrors.InvalidBody($"'Expected type object but found type {TypeName(node)}'.");
        RejectUnpairedSurrogates(body, "");

        var unknown = body.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0) throw ManagementErrors.InvalidBody($"'Additional properties not allowed: {string.Join(',', unknown)}'.");
        return body;
    }

    /// <summary>
    /// JSON may escape half of a surrogate pair (<c>"\ud800"</c>), which no UTF-8 store can keep: a 400 naming the
    /// property, before anything reads or stores the value.
    /// </summary>
    private static void RejectUnpairedSurrogates(JsonNode? node, string path)
    {
        try
        {
            switch (node)
            {
                case JsonObject properties:
                    foreach (var (name, value) in properties)
                    {
                        if (!IsWellFormed(name)) throw UnpairedSurrogate(path);
                        RejectUnpairedSurrogates(value, path.Length == 0 ? name : $"{path}.{name}");
                    }
                    break;
                case JsonArray items:
                    for (var i = 0; i < items.Count; i++) RejectUnpairedSurrogates(items[i], $"{path}[{i}]");
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    if (!IsWellFormed(value.GetValue<string>())) throw UnpairedSurrogate(path);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // System.Text.Json refuses to unescape an unpaired surrogate.
            throw UnpairedSurrogate(path);
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }

    private static ManagementApiException UnpairedSurrogate(string? path) =>
        ManagementErrors.InvalidBody("'String contains an unpaired UTF-16 surrogate'" + (string.IsNullOrEmpty(path) ? "." : $" on property {path}."));

    /// <summary>The string property, or null when absent or null; any other type is a 400.</summary>
    public static string? OptionalString(JsonObject body, string name, int maxLength = 2048)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw WrongType(name, "string", node);
        var value = node.GetValue<string>();
        if (value.Length == 0) throw ManagementErrors.InvalidBody($"'String is too short (0 chars), minimum 1' on property {name}.");
        if (value.Length > maxLength)
            throw ManagementErrors.InvalidBody($"'String is too long ({value.Length} chars), maximum {maxLength}' on property {name}.");
        return value;
    }

    public static bool? OptionalBool(JsonObject body, string name)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "boolean", node),
        };
    }

    /// <summary>The object property, or null when absent; a JSON null or any other type is a 400.</summary>
    public static JsonObject? OptionalObject(JsonObject body, string name)
    {
        if (!body.TryGetPropertyValue(name, out var node)) return null;
        return node as JsonObject ?? throw WrongType(name, "object", node);
    }

    public static ManagementApiException WrongType(string name, string expected, JsonNode? node) =>
        ManagementErrors.InvalidBody($"'Expected type {expected} but found type {TypeName(node)}' on property {name}.");

    private static string TypeName(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };
}

/// <summary>
/// The query string of a Management API request: only the parameters the endpoint names, each at most once, with
/// Auth0's <c>invalid_query_string</c> errors.
/// </summary>
public sealed class ManagementQuery
{
    private readonly IQueryCollection _query;

    public ManagementQuery(IQueryCollection query, params string[] allowed)
    {
        _query = query;
        var unknown = query.Keys.Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0) throw ManagementErrors.InvalidQuery($"'Additional properties not allowed: {string.Join(',', unknown)}'.");
        var repeated = query.Where(p => p.Value.Count > 1).Select(p => p.Key).ToList();
        if (repeated.Count > 0) throw ManagementErrors.InvalidQuery($"'Expected type string but found type array' on property {repeated[0]}.");
    }

    public bool Has(string name) => _query.ContainsKey(name);

    public string? String(string name) => _query.TryGetValue(name, out var value) ? value.ToString() : null;

    public bool? Bool(string name) => String(name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw ManagementErrors.InvalidQuery($"'Expected type boolean but found type string' on property {name}."),
    };

    public int? Int(string name, int minimum, int maximum)
    {
        if (String(name) is not { } text) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw ManagementErrors.InvalidQuery($"'Expected type integer but found type string' on property {name}.");
        if (value < minimum) throw ManagementErrors.InvalidQuery($"'Value {value} is less than minimum {minimum}' on property {name}.");
        if (value > maximum) throw ManagementErrors.InvalidQuery($"'Value {value} is greater than maximum {maximum}' on property {name}.");
        return value;
    }

    /// <summary>Auth0's <c>fields</c> + <c>include_fields</c>: which top-level properties of each result to keep.</summary>
    public FieldSelection Fields() => new(
        String("fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        Bool("include_fields") ?? true);
}

public sealed record FieldSelection(IReadOnlyCollection<string> Fields, bool Include)
{
    public JsonObject Apply(JsonObject item)
    {
        if (Fields.Count == 0) return item;
        foreach (var key in item.Select(p => p.Key).ToList())
        {
            if (Fields.Contains(key) != Include) item.Remove(key);
        }
        return item;
    }
}

/// <summary>Auth0's <c>page</c>/<c>per_page</c>/<c>include_totals</c> for list endpoints.</summary>
public sealed record Paging(int Page, int PerPage, bool IncludeTotals)
{
    public const int MaxPerPage = 100;
    public const int DefaultPerPage = 50;

    public int Skip => Page * PerPage;

    public static Paging From(ManagementQuery query) => new(
        query.Int("page", 0, int.MaxValue / MaxPerPage) ?? 0,
        query.Int("per_page", 1, MaxPerPage) ?? DefaultPerPage,
        query.Bool("include_totals") ?? false);

    /// <summary>A plain array, or with totals Auth0's <c>{start, limit, length, {items}, total}</c> envelope.</summary>
    public JsonNode Envelope(string itemsName, IReadOnlyList<JsonObject> items, int total) =>
        !IncludeTotals
            ? new JsonArray([.. items])
            : new JsonObject
            {
                ["start"] = Skip,
                ["limit"] = PerPage,
                ["length"] = items.Count,
                [itemsName] = new JsonArray([.. items]),
                ["total"] = total,
            };
}
