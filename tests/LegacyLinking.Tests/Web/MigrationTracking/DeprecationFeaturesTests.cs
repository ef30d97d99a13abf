using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>The one table of depnote texts covers every deprecated feature a legacy flow depends on.</summary>
public sealed class DeprecationFeaturesTests
{
    [Fact]
    public void Every_deprecated_feature_of_the_flow_catalogue_has_its_texts_and_its_flag()
    {
        foreach (var (_, feature) in FlowCatalogue.Deprecations)
        {
            var known = DeprecationFeatures.Find(feature.DepnoteFeature);
            Assert.True(known is not null, $"no depnote texts for {feature.DepnoteFeature}");
            Assert.Equal(feature.TenantFlag, known.TenantFlag);
        }
    }

    [Theory]
    [InlineData("Legacy Lock API: This feature is being deprecated. Please refer to our documentation to learn how to migrate your application.")]
    [InlineData("")]
    [InlineData(null)]
    public void A_text_of_no_known_feature_is_unrecognised(string? description) =>
        Assert.Equal(DeprecationFeatures.Unrecognised, DeprecationFeatures.Classify(description));
}
