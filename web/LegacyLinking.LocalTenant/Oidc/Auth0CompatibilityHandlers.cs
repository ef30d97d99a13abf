using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>Small OpenIddict event handlers for the places where Auth0's wire format differs from the RFCs.</summary>
public static class Auth0CompatibilityHandlers
{
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
