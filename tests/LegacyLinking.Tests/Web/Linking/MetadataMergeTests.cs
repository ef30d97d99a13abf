using System.Text.Json.Nodes;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Tests.Web.Linking;

public sealed class MetadataMergeTests
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void The_primary_wins_arrays_join_and_nested_objects_merge()
    {
        var merged = MetadataMerge.Merge(
            Json("""{"color":"red","roles":["Admin"],"prefs":{"lang":"en","theme":"dark"}}"""),
            Json("""{"color":"blue","roles":["AppAdmin","Admin"],"prefs":{"lang":"fr","tz":"UTC"},"phone":"+1"}"""));
        Assert.True(JsonNode.DeepEquals(
            Json("""{"color":"red","roles":["Admin","AppAdmin"],"prefs":{"lang":"en","theme":"dark","tz":"UTC"},"phone":"+1"}"""),
            merged));
    }

    [Fact]
    public void Missing_sides_are_empty()
    {
        Assert.True(JsonNode.DeepEquals(Json("""{"a":1}"""), MetadataMerge.Merge(null, Json("""{"a":1}"""))));
        Assert.Empty(MetadataMerge.Merge(null, null));
    }

    [Fact]
    public void Changes_hold_only_top_level_keys_whose_value_changed()
    {
        var before = Json("""{"color":"red","roles":["Admin"]}""");
        var after = Json("""{"color":"red","roles":["Admin","AppAdmin"],"phone":"+1"}""");
        Assert.Equal(["roles", "phone"], MetadataMerge.Changes(before, after).Select(p => p.Key));
    }

    [Fact]
    public void Select_splits_the_top_level_keys_by_the_rule()
    {
        var (carried, leftOut) = MetadataMerge.Select(Json("""{"plan":"gold","groups":["qa"],"roles":["Admin"]}"""), key => key == "plan");
        Assert.True(JsonNode.DeepEquals(Json("""{"plan":"gold"}"""), carried));
        Assert.Equal(["groups", "roles"], leftOut);
        Assert.Empty(MetadataMerge.Select(null, _ => true).Carried);
    }
}
