using LegacyLinking.LocalTenant.AuthenticationApi;
using LegacyLinking.LocalTenant.Linking;
using LegacyLinking.LocalTenant.TenantFlags;
using LegacyLinking.LocalTenant.Tokens;
using LegacyLinking.LocalTenant.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static LegacyLinking.LocalTenant.ApiErrors.AuthenticationErrors;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>
/// Auth0's deprecated Authentication API unlink, <c>POST /unlink</c> (later <c>/login/unlink</c>)
/// <c>{access_token, user_id: "provider|id"}</c>, JSON or form-encoded: unlinks <c>user_id</c> from the access token's
/// own user. Served only while <c>allow_legacy_unlink_endpoint</c> is on; otherwise the route answers 404
/// <c>deprecated_endpoint</c>. Errors use the Authentication API's <c>{error, error_description}</c>.
/// </summary>
public static class LegacyUnlinkEndpoint
{
    public static IEndpointRouteBuilder MapLegacyUnlink(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/unlink", HandleAsync);
        endpoints.MapPost("/login/unlink", HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, TenantFlagStore flags, TenantTokenReader tokens, AccountLinker linker, DeprecationNotes deprecations)
    {
        if (!await flags.IsEnabledAsync(TenantFlagNames.AllowLegacyUnlinkEndpoint, http.RequestAborted))
        {
            return Error(StatusCodes.Status404NotFound, "deprecated_endpoint",
                "POST /unlink is deprecated and has been disabled for this tenant (allow_legacy_unlink_endpoint is off). " +
                "Use DELETE /api/v2/users/{id}/identities/{provider}/{user_id} with an access token.");
        }

        var (body, problem) = await AuthenticationRequest.ReadAsync(http.Request, "access_token", "user_id");
        if (body is null) return problem!;
        var (accessToken, userId) = (body["access_token"], body["user_id"]);
        if (string.IsNullOrEmpty(accessToken)) return InvalidRequest("Missing required parameter: access_token");
        if (string.IsNullOrEmpty(userId)) return InvalidRequest("Missing required parameter: user_id");

        var result = await tokens.ReadAsync(accessToken);
        if (result.Token is not { Kind: TenantTokenKind.AccessToken } token)
            return Error(StatusCodes.Status401Unauthorized, "invalid_token", "invalid main user access_token: " + Reason(result.Problem));
        if (!token.IsForUser)
            return Error(StatusCodes.Status401Unauthorized, "unauthorized", "The access_token does not belong to a user.");
        await deprecations.WriteAsync(DeprecatedFeature.LegacyUnlinkEndpoint, token.ClientId, token.Subject, http.RequestAborted);

        if (!Auth0Ids.TrySplit(userId, out var provider, out var providerUserId))
            return InvalidRequest("user_id must be the linked identity as provider|id.");
        try
        {
            var primary = await linker.UnlinkAsync(token.Subject, provider, providerUserId, http.RequestAborted);
            return Results.Json(Auth0UserJson.LinkResponse(primary));
        }
        catch (LinkingException e)
        {
            return e.Problem switch
            {
                LinkingProblem.PrimaryNotFound =>
                    Error(StatusCodes.Status401Unauthorized, "unauthorized", "The user of the access_token does not exist."),
                LinkingProblem.MainIdentity => InvalidRequest("The main identity of a user cannot be unlinked."),
                _ => InvalidRequest("user_id is not linked to the user of the access_token."),
            };
        }
    }

    private static string Reason(TokenProblem problem) => problem switch
    {
        TokenProblem.Expired => "the token has expired.",
        TokenProblem.BadSignature => "the signature is invalid.",
        TokenProblem.None => "it is not an access token.",
        _ => "it is not a token issued by this tenant.",
    };
}
