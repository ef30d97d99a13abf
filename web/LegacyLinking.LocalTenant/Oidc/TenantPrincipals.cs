using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Sessions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>Builds the principals OpenIddict turns into Auth0-shaped tokens.</summary>
public sealed class TenantPrincipals(TenantUrls urls)
{
    /// <summary>Claims of the profile that are rewritten from the database on every token request.</summary>
    private static readonly string[] ProfileClaims =
    [
        Claims.Name, Claims.Nickname, Claims.Picture, Claims.GivenName, Claims.FamilyName, Claims.UpdatedAt,
        Claims.Email, Claims.EmailVerified, Claims.PhoneNumber, Claims.PhoneNumberVerified, TenantClaims.Groups,
    ];

    /// <summary>The principal for an interactive sign-in: the primary user's profile, scopes and audiences.</summary>
    public ClaimsPrincipal ForUser(
        TenantUser user, CurrentSession session, string clientId, IReadOnlyList<string> scopes, IReadOnlyList<string> resources)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.UserId);
        identity.SetClaim(TenantClaims.AuthTime, session.AuthTime.ToUnixTimeSeconds());
        identity.SetClaim(TenantClaims.SessionId, session.Id);
        identity.SetClaim(TenantClaims.IdentityUsed, session.IdentitySub);
        identity.SetClaim(Claims.AuthorizedParty, clientId);
        identity.SetScopes(scopes);
        identity.SetResources(resources);
        AddProfile(identity, user, scopes);
        return Finish(identity);
    }

    /// <summary>
    /// The principal for a code or refresh-token redemption: the stored one (scopes, audiences, nonce, session) with
    /// the profile read again, so a changed email or a new link shows up in the new tokens.
    /// </summary>
    public ClaimsPrincipal Refresh(ClaimsPrincipal stored, TenantUser user)
    {
        var identity = new ClaimsIdentity(stored.Claims, TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        foreach (var type in ProfileClaims) identity.RemoveClaims(type);
        identity.SetClaim(Claims.Subject, user.UserId);
        AddProfile(identity, user, stored.GetScopes());
        return Finish(identity);
    }

    /// <summary>A machine-to-machine principal, shaped as Auth0's client_credentials tokens.</summary>
    public ClaimsPrincipal ForClient(string clientId, IReadOnlyList<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, $"{clientId}@clients");
        identity.SetClaim(Claims.AuthorizedParty, clientId);
        identity.SetClaim(TenantClaims.GrantType, "client-credentials");
        identity.SetScopes(scopes);
        identity.SetResources(urls.ManagementAudience);
        return Finish(identity);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private static void AddProfile(ClaimsIdentity identity, TenantUser user, IReadOnlyList<string> scopes)
    {
        foreach (var (name, value) in Auth0Profile.For(user, scopes.ToHashSet()))
        {
            switch (value)
            {
                case JsonArray array:
                    // One claim holding the whole array, so a single group is still serialized as ["qa"].
                    identity.AddClaim(new Claim(name, array.ToJsonString(), JsonClaimValueTypes.JsonArray));
                    break;
                case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    identity.AddClaim(name, v.GetValue<bool>());
                    break;
                case JsonValue v:
                    identity.AddClaim(name, v.GetValue<string>());
                    break;
            }
        }
    }

    private static ClaimsPrincipal Finish(ClaimsIdentity identity)
    {
        identity.SetDestinations(DestinationsOf);
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.AuthorizedParty or TenantClaims.GrantType => [Destinations.AccessToken],
        // Private: stays inside codes and refresh tokens.
        TenantClaims.IdentityUsed => [],
        _ => [Destinations.IdentityToken],
    };
}
