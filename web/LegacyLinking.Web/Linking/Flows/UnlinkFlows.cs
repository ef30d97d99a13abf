using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;

namespace LegacyLinking.Web.Linking.Flows;

public sealed class AccessTokenUnlinkFlow(ManagementApiClient management) : IUnlinkFlow
{
    public Task UnlinkAsync(PrimaryUser primary, string provider, string userId, CancellationToken cancellationToken) =>
        management.WithToken(SessionTokens.Require(primary.AccessToken, "access token"))
            .Users.UnlinkAccountAsync(primary.UserId, provider, userId, cancellationToken);
}

public sealed class ServerTokenUnlinkFlow(ManagementApiClient management) : IUnlinkFlow
{
    public Task UnlinkAsync(PrimaryUser primary, string provider, string userId, CancellationToken cancellationToken) =>
        management.Users.UnlinkAccountAsync(primary.UserId, provider, userId, cancellationToken);
}

/// <summary>Deprecated: the primary's ID token as the bearer of the DELETE.</summary>
public sealed class LegacyIdTokenUnlinkFlow(ManagementApiClient management) : IUnlinkFlow
{
    public Task UnlinkAsync(PrimaryUser primary, string provider, string userId, CancellationToken cancellationToken) =>
        management.WithToken(SessionTokens.Require(primary.IdToken, "ID token"))
            .Users.UnlinkAccountAsync(primary.UserId, provider, userId, cancellationToken);
}

/// <summary>Deprecated Authentication API endpoint: <c>POST /unlink {access_token, user_id: "provider|id"}</c>.</summary>
public sealed class LegacyUnlinkEndpointFlow(AuthenticationApiClient authentication) : IUnlinkFlow
{
#pragma warning disable CS0618 // the deprecated call is this flow's whole point
    public Task UnlinkAsync(PrimaryUser primary, string provider, string userId, CancellationToken cancellationToken) =>
        authentication.UnlinkAsync(new UnlinkUserRequest
        {
            AccessToken = SessionTokens.Require(primary.AccessToken, "access token"),
            UserId = $"{provider}|{userId}",
        }, cancellationToken);
#pragma warning restore CS0618
}
