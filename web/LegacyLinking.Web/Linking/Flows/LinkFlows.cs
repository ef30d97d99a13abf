using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Web.Linking.Flows;

/// <summary>Current flow: the user's access token (<c>update:current_user_identities</c>) + <c>link_with</c>.</summary>
public sealed class AccessTokenLinkFlow(ManagementApiClient management) : ILinkFlow
{
    public string Name => LinkFlows.AccessToken;

    public Task<IList<AccountLinkResponse>> LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken) =>
        management.Users.LinkAccountAsync(primary.UserId, Require(primary.AccessToken, "access token"), secondary.IdToken, cancellationToken);

    internal static string Require(string? token, string what) =>
        token ?? throw new LinkingRefusedException("missing_token", $"Your session has no {what}; sign in again.");
}

/// <summary>Server flow: the app's client-credentials token (<c>update:users</c>) + <c>link_with</c>, after the app verified the login.</summary>
public sealed class ServerTokenLinkFlow(ManagementApiClient management, ManagementTokenCache tokens) : ILinkFlow
{
    public string Name => LinkFlows.ServerToken;

    public async Task<IList<AccountLinkResponse>> LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken) =>
        await management.Users.LinkAccountAsync(primary.UserId, await tokens.GetTokenAsync(cancellationToken), secondary.IdToken, cancellationToken);
}

/// <summary>Deprecated: the primary's ID token as the bearer (works only while the tenant allows <c>enable_idtoken_api2</c>).</summary>
public sealed class LegacyIdTokenLinkFlow(ManagementApiClient management) : ILinkFlow
{
    public string Name => LinkFlows.LegacyIdToken;

    public Task<IList<AccountLinkResponse>> LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken) =>
        management.Users.LinkAccountAsync(primary.UserId, AccessTokenLinkFlow.Require(primary.IdToken, "ID token"), secondary.IdToken, cancellationToken);
}

/// <summary>
/// Deprecated Lock-era flow: the secondary's login carries <c>access_token={primary's access token}</c> and the tenant
/// links during that login. The app then only confirms, through the Management API, that the identity arrived.
/// </summary>
public sealed class LegacyAuthorizeLinkFlow(ManagementApiClient management) : ILinkFlow
{
    public string Name => LinkFlows.LegacyAuthorize;

    public IReadOnlyDictionary<string, string> ChallengeParameters(PrimaryUser primary) =>
        new Dictionary<string, string> { ["access_token"] = AccessTokenLinkFlow.Require(primary.AccessToken, "access token") };

    public async Task<IList<AccountLinkResponse>> LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken)
    {
        var user = await management.Users.GetAsync(primary.UserId, cancellationToken: cancellationToken);
        return user.Identities.Select(i => new AccountLinkResponse
        {
            Provider = i.Provider, UserId = i.UserId, Connection = i.Connection, IsSocial = i.IsSocial, ProfileData = i.ProfileData,
        }).ToList();
    }
}
