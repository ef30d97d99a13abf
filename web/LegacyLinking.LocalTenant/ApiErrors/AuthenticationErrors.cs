using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.ApiErrors;

/// <summary>Replies in the Authentication API's <c>{error, error_description}</c> shape (<see cref="Auth0ErrorBody.Authentication"/>).</summary>
public static class AuthenticationErrors
{
    public static IResult Error(int status, string error, string description) =>
        Results.Json(Auth0ErrorBody.Authentication(error, description), statusCode: status);

    public static IResult InvalidRequest(string description) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request", description);
}
