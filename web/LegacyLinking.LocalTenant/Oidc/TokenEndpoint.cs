using Microsoft.AspNetCore;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// <c>/oauth/token</c> after OpenIddict authenticated the client and validated the grant (code + PKCE, refresh token):
/// re-reads the user for user grants and applies Auth0's client-grant rules for client_credentials.
/// </summary>
public static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http, TenantDbContext db, TenantPrincipals principals, TenantUrls urls)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict token request is missing.");

        if (request.IsClientCredentialsGrantType()) return await ClientCredentialsAsync(request, db, principals, urls);
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
            return OidcResults.Error(Errors.UnsupportedGrantType, "Unsupported grant type: " + request.GrantType);

        // A grant whose user is gone is unknown, as at Auth0 (deleting a user revokes its grants).
        var unknown = request.IsRefreshTokenGrantType() ? Auth0TokenErrors.UnknownRefreshToken : Auth0TokenErrors.InvalidCode;
        var stored = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var used = stored?.GetClaim(TenantClaims.IdentityUsed);
        if (stored is null || !Auth0Ids.TrySplit(used, out var provider, out var providerUserId))
            return OidcResults.Error(Errors.InvalidGrant, unknown);

        var identity = await db.Identities.Include(i => i.User)
            .SingleOrDefaultAsync(i => i.Provider == provider && i.ProviderUserId == providerUserId);
        if (identity?.User is null) return OidcResults.Error(Errors.InvalidGrant, unknown);
        if (identity.User.Blocked) return OidcResults.Error(Errors.InvalidGrant, "user is blocked");

        return OidcResults.SignIn(principals.Refresh(stored, identity.User));
    }

    private static async Task<IResult> ClientCredentialsAsync(
        OpenIddictRequest request, TenantDbContext db, TenantPrincipals principals, TenantUrls urls)
    {
        var audience = (string?)request[Auth0CompatibilityHandlers.AudienceParameter];
        if (string.IsNullOrEmpty(audience))
            return OidcResults.Error(Errors.AccessDenied, "No audience parameter was provided, and no default audience has been configured");
        if (audience != urls.ManagementAudience)
            return OidcResults.Error(Errors.AccessDenied, $"Service not found: {audience}");

        // The tenant has one API, whatever address it was reached at (a proxy's public one, ProxySetup).
        var grant = await db.ClientGrants.AsNoTracking().SingleOrDefaultAsync(g => g.ClientId == request.ClientId);
        if (grant is null)
        {
            return OidcResults.Error(Errors.AccessDenied,
                $"Client is not authorized to access \"{audience}\". You need to create a \"client-grant\" associated to this API. " +
                "See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants");
        }

        var granted = grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var requested = request.GetScopes();
        if (requested.IsEmpty) return OidcResults.SignIn(principals.ForClient(request.ClientId!, granted));

        var missing = requested.Except(granted, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            return OidcResults.Error(Errors.AccessDenied, $"Client has not been granted scopes: {string.Join(", ", missing)}");
        return OidcResults.SignIn(principals.ForClient(request.ClientId!, requested));
    }
}
