using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Linking;
using LegacyLinking.LocalTenant.Oidc;
using LegacyLinking.LocalTenant.TenantFlags;
using LegacyLinking.LocalTenant.Tokens;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>
/// Lock-era linking, <c>/authorize?…&amp;connection=X&amp;access_token={primary's access token}</c>: after the login
/// with X, the identity that signed in is linked into the token's user and the code is issued for that primary.
/// While <c>allow_authorize_access_token_linking</c> is off the parameter is refused to the redirect_uri, never
/// ignored (a silent ignore would sign the user in as the secondary). The token itself is never logged.
/// </summary>
public sealed class AuthorizeLinking(
    TenantFlagStore flags, TenantTokenReader tokens, AccountLinker linker, DeprecationNotes deprecations)
{
    public const string Parameter = "access_token";

    /// <summary>
    /// Checks the parameter before any login: <see cref="AuthorizeLinkTarget.None"/> when absent, otherwise the user to
    /// link into, or the error to send back to the client.
    /// </summary>
    public async Task<AuthorizeLinkTarget> ReadAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        if (request[Parameter] is not { } parameter) return AuthorizeLinkTarget.None;
        if (!await flags.IsEnabledAsync(TenantFlagNames.AllowAuthorizeAccessTokenLinking, cancellationToken))
        {
            return AuthorizeLinkTarget.Refused(
                "The access_token parameter is no longer supported for account linking (allow_authorize_access_token_linking is off); " +
                "link accounts with POST /api/v2/users/{id}/identities.");
        }

        var result = await tokens.ReadAsync((string?)parameter);
        if (result.Token is not { Kind: TenantTokenKind.AccessToken } token || !token.IsForUser)
            return AuthorizeLinkTarget.Refused("invalid main user access_token: the access_token is not a valid user access token of this tenant.");
        // The token must be this application's: another client's token must not link identities through this one.
        if (token.ClientId != request.ClientId)
            return AuthorizeLinkTarget.Refused("invalid main user access_token: it was issued to another application.");
        return new AuthorizeLinkTarget(token, null);
    }

    /// <summary>
    /// After the login: links the account <paramref name="identity"/> belongs to into the token's user (nothing to do
    /// when it already belongs there) and returns the primary user to issue the code for, or the error to return.
    /// </summary>
    public async Task<(TenantUser? Primary, IResult? Error)> LinkAsync(
        AuthorizeLinkTarget target, TenantIdentity identity, string clientId, CancellationToken cancellationToken)
    {
        var primaryUserId = target.Token!.Subject;
        await deprecations.WriteAsync(DeprecatedFeature.AuthorizeAccessTokenLinking, clientId, primaryUserId, cancellationToken);
        try
        {
            var primary = identity.UserId == primaryUserId
                ? identity.User!
                : await linker.LinkAsync(primaryUserId, identity.UserId, cancellationToken: cancellationToken);
            return (primary, null);
        }
        catch (LinkingException e)
        {
            var description = e.Problem == LinkingProblem.PrimaryNotFound
                ? "invalid main user access_token: its user does not exist."
                : "The account that signed in cannot be linked to the user of the access_token.";
            return (null, OidcResults.Error(Errors.AccessDenied, description));
        }
    }
}

/// <summary>The outcome of <see cref="AuthorizeLinking.ReadAsync"/>.</summary>
public sealed record AuthorizeLinkTarget(TenantToken? Token, IResult? Error)
{
    public static readonly AuthorizeLinkTarget None = new(null, null);

    public bool Requested => Token is not null;

    public static AuthorizeLinkTarget Refused(string description) => new(null, OidcResults.Error(Errors.InvalidRequest, description));
}
