using System.Text.Json.Nodes;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// Auth0 discards the secondary's metadata on link, so it is merged into the primary first — the sample's rule
/// (lodash merge with a customizer): the primary wins, arrays are joined, nested objects are merged. Which keys may be
/// merged at all is <see cref="LinkPreparation"/>'s decision.
/// </summary>
public static class MetadataMerge
{
    public static JsonObject Merge(JsonObject? primary, JsonObject? secondary)
    {
        var result = (JsonObject?)primary?.DeepClone() ?? [];
        if (secondary is null) return result;
        foreach (var (key, theirs) in secondary)
        {
            if (!result.TryGetPropertyValue(key, out var ours) || ours is null)
            {
                result[key] = theirs?.DeepClone();
                continue;
            }
            result[key] = (ours, theirs) switch
            {
                (JsonArray mine, JsonArray other) => Join(mine, other),
                (JsonObject mine, JsonObject other) => Merge(mine, other),
                _ => ours.DeepClone(), // the primary wins
            };
        }
        return result;
    }

    /// <summary>Primary's items first, then the secondary's items the primary does not already have.</summary>
    private static JsonArray Join(JsonArray primary, JsonArray secondary)
    {
        var joined = new JsonArray(primary.Select(n => n?.DeepClone()).ToArray());
        foreach (var item in secondary)
            if (!primary.Any(p => JsonNode.DeepEquals(p, item))) joined.Add(item?.DeepClone());
        return joined;
    }

    /// <summary>
    /// Splits <paramref name="metadata"/> by its top-level keys: those <paramref name="carry"/> accepts (a copy), and
    /// the names of the others.
    /// </summary>
    public static (JsonObject Carried, IReadOnlyList<string> LeftOut) Select(JsonObject? metadata, Func<string, bool> carry)
    {
        var carried = new JsonObject();
        var leftOut = new List<string>();
        foreach (var (key, value) in metadata ?? [])
        {
            if (carry(key)) carried[key] = value?.DeepClone();
            else leftOut.Add(key);
        }
        return (carried, leftOut);
    }

    /// <summary>Only the top-level keys whose value changes: the PATCH body (Auth0 merges metadata one level deep).</summary>
    public static JsonObject Changes(JsonObject? before, JsonObject after)
    {
        var changes = new JsonObject();
        foreach (var (key, value) in after)
            if (before is null || !before.TryGetPropertyValue(key, out var old) || !JsonNode.DeepEquals(old, value))
                changes[key] = value?.DeepClone();
        return changes;
    }
}
