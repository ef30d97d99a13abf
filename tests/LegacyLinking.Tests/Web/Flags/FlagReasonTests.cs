using LegacyLinking.Web.Flags;
using Microsoft.FeatureManagement.Telemetry;

namespace LegacyLinking.Tests.Web.Flags;

/// <summary>The QA console explains every reason a value can have in words, not by its enum name.</summary>
public sealed class FlagReasonTests
{
    /// <summary>Every reason Microsoft.FeatureManagement can give (a new one after an upgrade fails here until it is worded).</summary>
    public static TheoryData<string> LibraryReasons() =>
        [.. Enum.GetNames<VariantAssignmentReason>().Where(r => r != nameof(VariantAssignmentReason.None))];

    [Theory]
    [MemberData(nameof(LibraryReasons))]
    [InlineData(FlagReasons.QaGlobal)]
    [InlineData(FlagReasons.QaSession)]
    public void Each_reason_has_words_of_its_own(string reason)
    {
        var words = FlagReasons.InWords(reason);
        Assert.DoesNotContain(reason, words);
        Assert.NotEqual(FlagReasons.InWords("SomethingNew"), words.Replace(reason, "SomethingNew"));
    }

    [Fact]
    public void The_overrides_say_for_whom()
    {
        Assert.Equal("Chosen for everyone by a QA override", FlagReasons.InWords(FlagReasons.QaGlobal));
        Assert.Equal("Chosen for your session only by a QA override", FlagReasons.InWords(FlagReasons.QaSession));
        Assert.Contains("\"SomethingNew\"", FlagReasons.InWords("SomethingNew")); // shown as it comes rather than hidden
    }
}
