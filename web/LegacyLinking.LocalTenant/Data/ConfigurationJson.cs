using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// Turns a configuration subtree back into JSON (configuration flattens JSON: arrays become keys 0..n and every value
/// a string), so seed metadata such as <c>{"roles":["Admin"]}</c> can live in <c>localtenant.json</c> as plain JSON.
/// </summary>
public static class ConfigurationJson
{
    public static JsonObject ToObject(IConfigurationSection section) =>
        ToNode(section) as JsonObject ?? [];

    private static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0) return section.Value is null ? null : JsonValue.Create(section.Value);

        if (children.All(c => int.TryParse(c.Key, out _)))
            return new JsonArray(children.OrderBy(c => int.Parse(c.Key)).Select(ToNode).ToArray());

        var obj = new JsonObject();
        foreach (var child in children) obj[child.Key] = ToNode(child);
        return obj;
    }
}
