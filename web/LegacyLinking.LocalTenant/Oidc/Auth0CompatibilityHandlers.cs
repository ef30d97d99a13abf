using Microsoft.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>Small OpenIddict event handlers for the places where Auth0's wire format differs from the RFCs.</summary>
public static class Auth0CompatibilityHandlers
{
    /// <summary>Where the endpoints find Auth0's <c>audience</c> parameter once it is out of OpenIddict's way.</summary>
    public const string AudienceParameter = "auth0_audience";

    /// <summary>
    /// Auth0's <c>audience</c> names the API an access token is for; OpenIddict reserves the name for token exchange
    /// and would reject it. It is moved aside at extraction and validated by the endpoints against the Management API.
    /// </summary>
    public static IEnumerable<OpenIddictServerHandlerDescriptor> AudienceIsAnApiIdentifier { get; } =
    [
        MoveAudience<ExtractAuthorizationRequestContext>(
            OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractAuthorizationRequestContext>.Descriptor.Order),
        MoveAudience<ExtractTokenRequestContext>(
            OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext>.Descriptor.Order),
    ];

    private static OpenIddictServerHandlerDescriptor MoveAudience<TContext>(int afterOrder)
        where TContext : BaseValidatingContext =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseInlineHandler(context =>
            {
                if (context.Transaction.Request is { } request && request["audience"] is { } audience)
                {
                    request.SetParameter(AudienceParameter, audience);
                    request.RemoveParameter("audience");
                }
                return default;
            })
            .SetOrder(afterOrder + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>Auth0's <c>/v2/logout</c> names the post-logout URL <c>returnTo</c>; OpenIddict then validates it as usual.</summary>
    public static OpenIddictServerHandlerDescriptor ReturnToIsPostLogoutRedirectUri { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractEndSessionRequestContext>()
            .UseInlineHandler(context =>
            {
                if (context.Request is { } request && string.IsNullOrEmpty(request.PostLogoutRedirectUri)
                    && (string?)request["returnTo"] is { Length: > 0 } returnTo)
                {
                    request.PostLogoutRedirectUri = returnTo;
                }
                return default;
            })
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractEndSessionRequestContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>
    /// A code issued with a PKCE challenge and redeemed without its verifier, or with another one, is Auth0's
    /// <c>invalid_grant</c> "Failed to verify code verifier" (OpenIddict would call a missing one a malformed request,
    /// and a wrong one an invalid code). Only S256 challenges are accepted at <c>/authorize</c>.
    /// </summary>
    public static OpenIddictServerHandlerDescriptor CodeVerifierFailureIsInvalidGrant { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseInlineHandler(context =>
            {
                if (context.Request.IsAuthorizationCodeGrantType()
                    && context.AuthorizationCodePrincipal?.GetClaim(Claims.Private.CodeChallenge) is { Length: > 0 } challenge
                    && (string.IsNullOrEmpty(context.Request.CodeVerifier) || S256(context.Request.CodeVerifier) != challenge))
                {
                    context.Reject(Errors.InvalidGrant, "Failed to verify code verifier");
                }
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateCodeVerifier.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    private static string S256(string verifier) =>
        Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

    /// <summary>
    /// Auth0's refresh tokens do not rotate by default: a refresh answers no new refresh token and the one used stays
    /// valid (OpenIddict would issue a fresh one with every refresh).
    /// </summary>
    public static OpenIddictServerHandlerDescriptor RefreshTokensDoNotRotate { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseInlineHandler(context =>
            {
                if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Request?.IsRefreshTokenGrantType() == true)
                    context.GenerateRefreshToken = context.IncludeRefreshToken = false;
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.EvaluateGeneratedTokens.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>
    /// The discovery document names <c>/userinfo</c>, which the tenant serves itself (<see cref="UserInfoEndpoint"/>)
    /// rather than through OpenIddict.
    /// </summary>
    public static OpenIddictServerHandlerDescriptor UserInfoInDiscovery { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseInlineHandler(context =>
            {
                var urls = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<Hosting.TenantUrls>();
                context.UserInfoEndpoint = new Uri(urls.UserInfoAudience);
                return default;
            })
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>Auth0's error redirects and pages carry <c>error</c> and <c>error_description</c>, never OpenIddict's <c>error_uri</c>.</summary>
    public static OpenIddictServerHandlerDescriptor NoErrorUri<TContext>() where TContext : BaseRequestContext =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseInlineHandler(context =>
            {
                if (context.Transaction.Response is { } response) response.ErrorUri = null;
                return default;
            })
            .SetOrder(int.MinValue + 10_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}
