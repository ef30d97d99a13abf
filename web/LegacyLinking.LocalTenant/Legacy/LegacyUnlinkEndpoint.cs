using System.Text.Json;
using LegacyLinking.LocalTenant.Linking;
using LegacyLinking.LocalTenant.TenantFlags;
using LegacyLinking.LocalTenant.Tokens;
using LegacyLinking.LocalTenant.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>
/// Auth0's deprecated Authentication API unlink, <c>POST /unlink</c> (later <c>/login/unlink</c>)
/// <c>{access_token, user_id: "provider|id"}</c>, JSON or form-encoded: unlinks <c>user_id</c> from the access token's
/// own user. Served only while <c>allow_legacy_unlink_endpoint</c> is on; otherwise the route answers 404
/// <c>deprecated_endpoint</c>. Errors use the Authentication API's <c>{error, error_description}</c>.
/// </summary>
public static class LegacyUnlinkEndpoint
{
    private const int MaxBodyBytes = 64 * 1024;

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

        var (accessToken, userId, problem) = await ReadBodyAsync(http.Request);
        if (problem is not null) return problem;
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

    /// <summary>The two fields from a JSON object or a form; anything else is a 400 (or 413 when too large).</summary>
    private static async Task<(string? AccessToken, string? UserId, IResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, null, TooLarge());
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                return (form["access_token"].ToString(), form["user_id"].ToString(), null);
            }
            if (!request.HasJsonContentType())
                return (null, null, InvalidRequest("Send the body as application/json or application/x-www-form-urlencoded."));

            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return (null, null, InvalidRequest("The body must be a JSON object."));
            return (Text(json.RootElement, "access_token"), Text(json.RootElement, "user_id"), null);
        }
        catch (JsonException)
        {
            return (null, null, InvalidRequest("The body is not valid JSON."));
        }
        catch (InvalidOperationException)
        {
            return (null, null, InvalidRequest("A parameter is sent twice or is not a string."));
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, null, TooLarge());
        }
        catch (InvalidDataException)
        {
            return (null, null, InvalidRequest("The form is malformed or too large."));
        }
    }

    /// <summary>A string property; a value of another type is refused (<see cref="InvalidOperationException"/>).</summary>
    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static string Reason(TokenProblem problem) => problem switch
    {
        TokenProblem.Expired => "the token has expired.",
        TokenProblem.BadSignature => "the signature is invalid.",
        TokenProblem.None => "it is not an access token.",
        _ => "it is not a token issued by this tenant.",
    };

    private static IResult InvalidRequest(string description) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request", description);

    private static IResult TooLarge() =>
        Error(StatusCodes.Status413PayloadTooLarge, "invalid_request", $"The request body is larger than {MaxBodyBytes} bytes.");

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
