using LegacyLinking.Web.Auth0;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LegacyLinking.Web.Authentication;

/// <summary>What both OpenID Connect handlers (the primary sign-in and the secondary's login) share about the tenant.</summary>
public static class TenantOidc
{
    public static void Apply(OpenIdConnectOptions options, Auth0Tenant tenant, string callbackPath, string cookiePrefix, IEnumerable<string> scopes)
    {
        options.Authority = tenant.AuthorityText;
        options.RequireHttpsMetadata = tenant.Authority.Scheme == "https";
        options.ClientId = tenant.ClientId;
        options.ClientSecret = tenant.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        // Query mode keeps the callback a top-level GET, so Lax correlation cookies work on plain-http dev setups.
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        // No x-client-SKU / x-client-ver: the tenant (and every log on the way) need not learn the library's version.
        options.DisableTelemetry = true;
        options.CallbackPath = callbackPath;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        // auth_time stays in the principal (the handler's default claim actions delete nonce, iat, exp… but not it): the
        // step-up before a change and the session cuts read it.
        options.Scope.Clear();
        foreach (var scope in scopes) options.Scope.Add(scope);
        options.TokenValidationParameters.NameClaimType = "name";
        options.TokenValidationParameters.ValidIssuer = tenant.Issuer; // Auth0's, with the trailing slash
        options.TokenValidationParameters.ValidAudience = tenant.ClientId;
        options.TokenValidationParameters.ValidAlgorithms = ["RS256"];
        options.CorrelationCookie.Name = cookiePrefix + "correlation.";
        options.NonceCookie.Name = cookiePrefix + "nonce.";
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            // Secure when the app is served over HTTPS; plain-http loopback dev setups would otherwise lose these cookies.
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
    }
}
