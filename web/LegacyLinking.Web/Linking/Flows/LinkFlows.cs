using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Hosting;

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
/// <remarks>
/// That URL passes through the browser, its history and any log on the way (security catalogue 41), so it never
/// carries the session's own access token, which may call the Management API for its whole life (24 h by default).
/// The session's refresh token buys a new one just before the redirect, narrowed to <c>openid</c>: it can do nothing
/// but this link and /userinfo.
/// </remarks>
public sealed class LegacyAuthorizeLinkFlow(ManagementApiClient management, AuthenticationApiClient authentication, Auth0Tenant tenant) : ILinkFlow
{
    /// <summary>The only scope the token in the URL carries.</summary>
    public const string UrlTokenScope = "openid";

    public string Name => LinkFlows.LegacyAuthorize;

    public async Task<IReadOnlyDictionary<string, string>> ChallengeParametersAsync(PrimaryUser primary, CancellationToken cancellationToken)
    {
        var narrowed = await authentication.GetTokenAsync(new RefreshTokenRequest
        {
            ClientId = tenant.ClientId,
            ClientSecret = tenant.ClientSecret,
            RefreshToken = AccessTokenLinkFlow.Require(primary.RefreshToken, "refresh token"),
            Scope = UrlTokenScope,
        }, cancellationToken);
        return new Dictionary<string, string> { ["access_token"] = narrowed.AccessToken };
    }

    public async Task<IList<AccountLinkResponse>> LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken)
    {
        var user = await management.Users.GetAsync(primary.UserId, cancellationToken: cancellationToken);
        return user.Identities.Select(i => new AccountLinkResponse
        {
            Provider = i.Provider, UserId = i.UserId, Connection = i.Connection, IsSocial = i.IsSocial, ProfileData = i.ProfileData,
        }).ToList();
    }
}
