using Microsoft.AspNetCore;
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
    /// A code issued with a PKCE challenge and redeemed without a verifier is a failed verification, which RFC 7636
    /// (and Auth0) report as <c>invalid_grant</c>; OpenIddict would call it a malformed request.
    /// </summary>
    public static OpenIddictServerHandlerDescriptor MissingCodeVerifierIsInvalidGrant { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseInlineHandler(context =>
            {
                if (context.Request.IsAuthorizationCodeGrantType() && string.IsNullOrEmpty(context.Request.CodeVerifier)
                    && !string.IsNullOrEmpty(context.AuthorizationCodePrincipal?.GetClaim(Claims.Private.CodeChallenge)))
                {
                    context.Reject(Errors.InvalidGrant, "Failed to verify code verifier");
                }
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateCodeVerifier.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

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

    /// <summary>Auth0 answers <c>access_denied</c> from <c>/oauth/token</c> with 403 (OpenIddict's default is 400).</summary>
    public static OpenIddictServerHandlerDescriptor AccessDeniedIsForbidden { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseInlineHandler(context =>
            {
                if (context.Response.Error == Errors.AccessDenied
                    && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
                {
                    response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden;
                }
                return default;
            })
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}
