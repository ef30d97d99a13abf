using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking.Secondary;

namespace LegacyLinking.Web.Linking.Flows;

/// <summary>
/// A flow that links through the Management API (<c>POST /api/v2/users/{primary}/identities {link_with}</c>) once the
/// app verified the secondary's login: <see cref="LinkPreparation"/> checks the account and merges its metadata, then
/// the flow's own call, with its own bearer, links it.
/// </summary>
public abstract class ManagementApiLinkFlow(LinkPreparation preparation) : ILinkFlow
{
    public async Task<string> CompleteAsync(LinkRequest link, CancellationToken cancellationToken)
    {
        var merged = await preparation.PrepareAsync(link, cancellationToken);
        try
        {
            await LinkAsync(link.Primary, link.Secondary, cancellationToken);
        }
        catch (Exception e) when (merged.Wrote && e is LinkingRefusedException or ApiException)
        {
            throw new LinkingPartlyDoneException($"Your metadata was already updated ({merged.Written}); the link itself did not happen.", e);
        }
        return $"Linked {link.Secondary.UserId} to your account through {link.Attempt.Flow}.{merged.Describe()}";
    }

    /// <summary>The tenant call itself.</summary>
    protected abstract Task LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken);
}

/// <summary>Current flow: the user's access token (<c>update:current_user_identities</c>) + <c>link_with</c>.</summary>
public sealed class AccessTokenLinkFlow(ManagementApiClient management, LinkPreparation preparation) : ManagementApiLinkFlow(preparation)
{
    protected override Task LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken) =>
        management.Users.LinkAccountAsync(primary.UserId, SessionTokens.Require(primary.AccessToken, "access token"), secondary.IdToken, cancellationToken);
}

/// <summary>Server flow: the app's client-credentials token (<c>update:users</c>) + <c>link_with</c>, after the app verified the login.</summary>
public sealed class ServerTokenLinkFlow(ManagementApiClient management, ManagementTokenCache tokens, LinkPreparation preparation) : ManagementApiLinkFlow(preparation)
{
    protected override async Task LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken) =>
        await management.Users.LinkAccountAsync(primary.UserId, await tokens.GetTokenAsync(cancellationToken), secondary.IdToken, cancellationToken);
}

/// <summary>Deprecated: the primary's ID token as the bearer (works only while the tenant allows <c>enable_idtoken_api2</c>).</summary>
public sealed class LegacyIdTokenLinkFlow(ManagementApiClient management, LinkPreparation preparation) : ManagementApiLinkFlow(preparation)
{
    protected override Task LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken) =>
        management.Users.LinkAccountAsync(primary.UserId, SessionTokens.Require(primary.IdToken, "ID token"), secondary.IdToken, cancellationToken);
}

/// <summary>
/// Deprecated Lock-era flow: the secondary's login carries <c>access_token={primary's access token}</c> and the tenant
/// links during that login, whichever account signs in. The app then only reads, through the Management API, what the
/// tenant did, and takes off a link to an account other than the chosen one — which costs that account what a link and
/// an unlink always cost it (<see cref="Outcomes.UndoneLoss"/>).
/// </summary>
/// <remarks>
/// That URL passes through the browser, its history and any log on the way, so it never
/// carries the session's own access token, which may call the Management API for its whole life (24 h by default).
/// The session's refresh token buys a new one just before the redirect, narrowed to <c>openid</c>: it cannot call the
/// Management API, but it is still the user's token for what the URL allows (<see cref="FlowCatalogue.CautionsOf"/>).
/// </remarks>
public sealed class LegacyAuthorizeLinkFlow(ManagementApiClient management, AuthenticationApiClient authentication, Auth0Tenant tenant) : ILinksDuringLogin
{
    /// <summary>The only scope the token in the URL carries.</summary>
    public const string UrlTokenScope = "openid";

    public async Task<IReadOnlyDictionary<string, string>> ChallengeParametersAsync(PrimaryUser primary, CancellationToken cancellationToken)
    {
        var narrowed = await authentication.GetTokenAsync(
            tenant.Refresh(SessionTokens.Require(primary.RefreshToken, "refresh token"), UrlTokenScope), cancellationToken);
        return new Dictionary<string, string> { ["access_token"] = narrowed.AccessToken };
    }

    /// <summary>The tenant linked during the login and then signed the primary in: what it linked is read from the primary.</summary>
    public async Task<string> CompleteAsync(LinkRequest link, CancellationToken cancellationToken)
    {
        var (primary, secondary, attempt) = link;
        if (secondary.UserId != primary.UserId)
            throw new LinkingRefusedException("not_linked", "The tenant signed in the other account instead of linking it (the legacy /authorize linking is switched off); nothing was linked.");
        return await SettleAsync(attempt, cancellationToken);
    }

    /// <summary>The identities that appeared on the primary since the attempt started are the ones the tenant linked.</summary>
    public async Task<string> SettleAsync(LinkAttempt attempt, CancellationToken cancellationToken)
    {
        var before = attempt.KnownIdentities.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var user = await management.Users.GetAsync(attempt.PrimaryUserId, cancellationToken: cancellationToken);
        var added = user.Identities.Select(i => (i.Provider, i.UserId)).Where(i => !before.Contains($"{i.Provider}|{i.UserId}")).ToList();
        var linked = string.Join(", ", added.Select(i => $"{i.Provider}|{i.UserId}"));
        if (added.Count == 0)
            throw new LinkingRefusedException("not_linked", "The tenant finished the sign-in but linked nothing.");
        if (attempt.TargetUserId is { } target && !added.Any(i => $"{i.Provider}|{i.UserId}" == target))
        {
            // Everything that came along goes: the account that signed in brings the identities it had linked itself.
            foreach (var (provider, userId) in added)
                await management.Users.UnlinkAccountAsync(attempt.PrimaryUserId, provider, userId, cancellationToken);
            throw new LinkingUndoneException(
                $"You signed in to a different account than the one you chose, and with this sign-in method the tenant links whichever account signs in: it linked {linked}. " +
                $"It was taken off your account again, but it is a new account now: {Outcomes.UndoneLoss} are lost.");
        }
        return $"Linked {linked} to your account through {attempt.Flow} (the tenant linked it during the sign-in).";
    }
}

/// <summary>The session's tokens a flow sends; a session without the one it needs is asked to sign in again.</summary>
internal static class SessionTokens
{
    public static string Require(string? token, string what) =>
        token ?? throw new LinkingRefusedException("missing_token", $"Your session has no {what}; sign in again.");
}
