using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking.Flows;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// The deprecated tenant feature a legacy flow depends on: the tenant flag that switching the flow off means, and the
/// feature the tenant's <c>depnote</c> log events name when the flow is used.
/// </summary>
public sealed record DeprecatedFeature(string TenantFlag, string DepnoteFeature);

/// <summary>
/// One flow: its contract name (a variant of <see cref="Flag"/>), the operation it serves, the class that runs it,
/// and — for a legacy flow — the deprecated tenant feature it depends on.
/// </summary>
public sealed record FlowEntry(string Operation, string Name, Type Implementation, DeprecatedFeature? Deprecated)
{
    public bool IsLegacy => Deprecated is not null;

    /// <summary>The variant flag that chooses among the flows of this operation.</summary>
    public string Flag => Operation == LinkingService.Link ? FlagNames.LinkFlow : FlagNames.UnlinkFlow;

    /// <summary>The interface the class is registered under (keyed by <see cref="Name"/>).</summary>
    public Type Contract => Operation == LinkingService.Link ? typeof(ILinkFlow) : typeof(IUnlinkFlow);
}

/// <summary>
/// Every link and unlink flow, once. The keyed registrations, the flags' variants (checked at start), the migration
/// report's legacy and current lists and every "is this a legacy flow" question derive from this list: a new flow is
/// its class, one entry here and its variant in <c>appsettings.json</c>.
/// </summary>
public static class FlowCatalogue
{
    private static readonly DeprecatedFeature IdTokenAsBearer = new("enable_idtoken_api2", "enable_idtoken_api2");
    private static readonly DeprecatedFeature AuthorizeLinking = new("allow_authorize_access_token_linking", "authorize_access_token_linking");
    private static readonly DeprecatedFeature UnlinkEndpoint = new("allow_legacy_unlink_endpoint", "legacy_unlink_endpoint");

    public static readonly IReadOnlyList<FlowEntry> All =
    [
        Link<AccessTokenLinkFlow>(LinkFlows.AccessToken),
        Link<ServerTokenLinkFlow>(LinkFlows.ServerToken),
        Link<LegacyIdTokenLinkFlow>(LinkFlows.LegacyIdToken, IdTokenAsBearer),
        Link<LegacyAuthorizeLinkFlow>(LinkFlows.LegacyAuthorize, AuthorizeLinking),
        Unlink<AccessTokenUnlinkFlow>(UnlinkFlows.AccessToken),
        Unlink<ServerTokenUnlinkFlow>(UnlinkFlows.ServerToken),
        Unlink<LegacyIdTokenUnlinkFlow>(UnlinkFlows.LegacyIdToken, IdTokenAsBearer),
        Unlink<LegacyUnlinkEndpointFlow>(UnlinkFlows.LegacyUnlinkEndpoint, UnlinkEndpoint),
    ];

    /// <summary>The names of the flows serving <paramref name="operation"/>, in catalogue order.</summary>
    public static IReadOnlyList<string> NamesOf(string operation) => All.Where(f => f.Operation == operation).Select(f => f.Name).ToList();

    /// <summary>Flow names used by a legacy flow of either operation (a name such as LegacyIdToken serves both).</summary>
    public static readonly IReadOnlyList<string> LegacyNames = All.Where(f => f.IsLegacy).Select(f => f.Name).Distinct().ToList();

    /// <summary>Flow names used by a current flow of either operation.</summary>
    public static readonly IReadOnlyList<string> CurrentNames = All.Where(f => !f.IsLegacy).Select(f => f.Name).Distinct().ToList();

    /// <summary>Each legacy flow name once, with the deprecated feature it depends on (what the readiness verdicts are about).</summary>
    public static readonly IReadOnlyList<(string Flow, DeprecatedFeature Feature)> Deprecations =
        All.Where(f => f.IsLegacy).DistinctBy(f => f.Name).Select(f => (f.Name, f.Deprecated!)).ToList();

    public static bool IsLegacy(string flow) => LegacyNames.Contains(flow);

    public static bool IsCurrent(string flow) => CurrentNames.Contains(flow);

    private static FlowEntry Link<TFlow>(string name, DeprecatedFeature? deprecated = null) where TFlow : ILinkFlow =>
        new(LinkingService.Link, name, typeof(TFlow), deprecated);

    private static FlowEntry Unlink<TFlow>(string name, DeprecatedFeature? deprecated = null) where TFlow : IUnlinkFlow =>
        new(LinkingService.Unlink, name, typeof(TFlow), deprecated);
}
