using LegacyLinking.LocalTenant.Legacy;
using LegacyLinking.LocalTenant.Tokens;
using LegacyLinking.LocalTenant.TenantFlags;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// Authenticates the bearer of every Management API call and applies the endpoint's <see cref="ManagementOperation"/>:
/// 401 for a missing or invalid token or one for another audience, 403 for a missing scope or for a
/// <c>current_user</c> token acting on someone else. The accepted caller is available as <see cref="ManagementCaller"/>.
/// </summary>
public sealed class ManagementBearerFilter(
    TenantTokenReader tokens, TenantUrls urls, TenantFlagStore flags, DeprecationNotes deprecations) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<ManagementOperation>() is not { } operation) return await next(context);

        var token = await AuthenticateAsync(http, operation);
        var ownUserOnly = token.Kind == TenantTokenKind.IdToken || !operation.Scopes.Any(token.Scopes.Contains);
        var scopes = token.Kind == TenantTokenKind.IdToken ? ManagementScopes.IdTokenEquivalent : token.Scopes;
        if (!operation.AnyScope.Any(scopes.Contains)) throw ManagementErrors.InsufficientScope(operation.AnyScope);
        if (ownUserOnly && (string?)http.Request.RouteValues["id"] != token.Subject) throw ManagementErrors.UnownedResource();

        if (token.Kind == TenantTokenKind.IdToken)
            await deprecations.WriteAsync(DeprecatedFeature.IdTokenBearer, token.ClientId, token.Subject, http.RequestAborted);

        http.Features.Set(new ManagementCaller(token, scopes, ownUserOnly));
        return await next(context);
    }

    private async Task<TenantToken> AuthenticateAsync(HttpContext http, ManagementOperation operation)
    {
        var header = http.Request.Headers[HeaderNames.Authorization];
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header.ToString())) throw ManagementErrors.MissingAuthentication();
        var value = header.ToString();
        const string scheme = "Bearer ";
        if (header.Count > 1 || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || value.Length == scheme.Length)
            throw ManagementErrors.BadAuthenticationHeader();

        var result = await tokens.ReadAsync(value[scheme.Length..].Trim());
        var token = result.Token ?? throw ManagementErrors.Unauthorized(MessageFor(result.Problem));
        return token.Kind switch
        {
            TenantTokenKind.AccessToken when token.Audiences.Contains(urls.ManagementAudience) => token,
            // An ID token is a token for another audience (its client); it passes only where the flag and endpoint allow.
            TenantTokenKind.IdToken when operation.AcceptsIdToken
                && await flags.IsEnabledAsync(TenantFlagNames.EnableIdTokenApi2, http.RequestAborted) => token,
            _ => throw ManagementErrors.BadAudience(token.Audiences),
        };
    }

    /// <summary>Auth0's messages for a token that fails validation.</summary>
    public static string MessageFor(TokenProblem problem) => problem switch
    {
        TokenProblem.BadSignature => "Invalid signature received for JSON Web Token validation.",
        TokenProblem.Expired => "Expired token received for JSON Web Token validation.",
        _ => "Invalid token.",
    };
}
