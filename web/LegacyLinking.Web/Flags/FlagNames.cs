namespace LegacyLinking.Web.Flags;

/// <summary>The flags the app evaluates, by their names in configuration (the contract QA and the docs use).</summary>
public static class FlagNames
{
    public const string LinkFlow = "LinkFlow";
    public const string UnlinkFlow = "UnlinkFlow";
    public const string SuggestedLinking = "SuggestedLinking";
    public const string MergeMetadata = "MergeMetadata";
    public const string ShadowCheck = "ShadowCheck";

    public static readonly IReadOnlyList<string> All = [LinkFlow, UnlinkFlow, SuggestedLinking, MergeMetadata, ShadowCheck];

    /// <summary>The flags whose value is a variant (a flow of the catalogue), not on/off.</summary>
    public static bool IsVariantFlag(string flag) => flag is LinkFlow or UnlinkFlow;
}

/// <summary>The link flows' contract names (what each is, in <c>Linking.FlowCatalogue</c>).</summary>
public static class LinkFlows
{
    public const string AccessToken = "AccessToken";
    public const string ServerToken = "ServerToken";
    public const string LegacyIdToken = "LegacyIdToken";
    public const string LegacyAuthorize = "LegacyAuthorize";
}

/// <summary>The unlink flows' contract names (what each is, in <c>Linking.FlowCatalogue</c>).</summary>
public static class UnlinkFlows
{
    public const string AccessToken = "AccessToken";
    public const string ServerToken = "ServerToken";
    public const string LegacyIdToken = "LegacyIdToken";
    public const string LegacyUnlinkEndpoint = "LegacyUnlinkEndpoint";
}

public static class OnOff
{
    public const string On = "on";
    public const string Off = "off";
}

/// <summary>Why a user got a flag value (the record's <c>reason</c>).</summary>
public static partial class FlagReasons
{
    public const string User = "User";
    public const string Group = "Group";
    public const string Percentile = "Percentile";
    public const string DefaultWhenEnabled = "DefaultWhenEnabled";
    public const string DefaultWhenDisabled = "DefaultWhenDisabled";
    public const string QaGlobal = "QaGlobal";
    public const string QaSession = "QaSession";
}
