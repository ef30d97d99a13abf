using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// <c>/oauth/token</c> errors as Auth0 answers them (docs/local-tenant.md, "Token endpoint errors"), rewritten from
/// OpenIddict's RFC 6749 answers just before the JSON is written: a bad code or refresh token is 403
/// <c>invalid_grant</c> with Auth0's text, bad client credentials 401 <c>access_denied</c> "Unauthorized" without a
/// <c>WWW-Authenticate</c> challenge, a grant the client may not use 403 <c>unauthorized_client</c>; Auth0 never sends
/// an <c>error_uri</c>. Errors the tenant's own endpoint raised (they carry no <c>error_uri</c>) keep their text.
/// </summary>
public static class Auth0TokenErrors
{
    public const string UnknownRefreshToken = "Unknown or invalid refresh token.";
    public const string InvalidCode = "Invalid authorization code";
    public const string Unauthorized = "Unauthorized";

    private static readonly HashSet<string> Auth0OnlyGrants =
    [
        GrantTypes.Password, GrantTypes.DeviceCode, "http://auth0.com/oauth/grant-type/password-realm",
        "http://auth0.com/oauth/grant-type/passwordless/otp", "http://auth0.com/oauth/grant-type/mfa-otp",
        "http://auth0.com/oauth/grant-type/mfa-oob", "http://auth0.com/oauth/grant-type/mfa-recovery-code",
        "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseInlineHandler(context =>
            {
                if (!string.IsNullOrEmpty(context.Response.Error)
                    && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } http)
                {
                    http.StatusCode = Rewrite(context.Response, context.Request);
                    // OpenIddict challenges failed client authentication the RFC way; Auth0 does not.
                    http.Headers.WWWAuthenticate = default;
                }
                return default;
            })
            // After OpenIddict set the status and challenge; the log event (Logs/OidcLogEvents) follows it, then the JSON.
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>Rewrites the error in place and returns Auth0's status for it.</summary>
    private static int Rewrite(OpenIddictResponse response, OpenIddictRequest? request)
    {
        // Only OpenIddict's own errors carry a documentation link; the tenant's endpoint writes Auth0's texts itself.
        var fromOpenIddict = !string.IsNullOrEmpty(response.ErrorUri);
        response.ErrorUri = null;
        switch (response.Error)
        {
            case Errors.InvalidClient:
                response.Error = Errors.AccessDenied;
                response.ErrorDescription = Unauthorized;
                return StatusCodes.Status401Unauthorized;
            // A refresh asking for more than was granted keeps OpenIddict's explanation.
            case Errors.InvalidGrant when fromOpenIddict && request?.IsRefreshTokenGrantType() == true
                && response.ErrorDescription?.Contains("scope", StringComparison.OrdinalIgnoreCase) != true:
                response.ErrorDescription = UnknownRefreshToken;
                break;
            case Errors.InvalidGrant when fromOpenIddict && request?.IsAuthorizationCodeGrantType() == true:
                response.ErrorDescription = InvalidCode;
                break;
            case Errors.UnauthorizedClient when fromOpenIddict:
            // Grants Auth0 has but this tenant does not offer: at Auth0 they are switched off for the client.
            case Errors.UnsupportedGrantType when fromOpenIddict && Auth0OnlyGrants.Contains(request?.GrantType ?? ""):
                response.Error = Errors.UnauthorizedClient;
                response.ErrorDescription = $"Grant type '{request?.GrantType}' not allowed for the client.";
                break;
            case Errors.UnsupportedGrantType when fromOpenIddict:
                response.ErrorDescription = $"Unsupported grant type: {request?.GrantType}";
                break;
        }
        return response.Error switch
        {
            // Refusing the grant is a 403 at Auth0 (RFC 6749 says 400).
            Errors.InvalidGrant or Errors.AccessDenied or Errors.UnauthorizedClient or Errors.InvalidScope => StatusCodes.Status403Forbidden,
            Errors.ServerError => StatusCodes.Status500InternalServerError,
            Errors.TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
    }
}
