using System.Text;
using LegacyLinking.LocalTenant.AuthenticationApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static LegacyLinking.LocalTenant.ApiErrors.AuthenticationErrors;

namespace LegacyLinking.LocalTenant.PasswordReset;

/// <summary>
/// Auth0's Authentication API <c>POST /dbconnections/change_password</c> <c>{client_id, email, connection}</c>, JSON or
/// form-encoded: 200 with the JSON string <see cref="ChangePasswordRequests.SentMessage"/> whether or not the email
/// has an account; a bad request is a 400 <c>{error, error_description}</c>.
/// </summary>
public static class ChangePasswordEndpoint
{
    public const string Path = "/dbconnections/change_password";

    /// <summary>The body as Auth0 sends it: a JSON string, the apostrophe as is (a serializer would escape it).</summary>
    private static readonly string SentBody = "\"" + ChangePasswordRequests.SentMessage + "\"";

    public static IEndpointRouteBuilder MapChangePassword(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, ChangePasswordRequests requests)
    {
        var (body, problem) = await AuthenticationRequest.ReadAsync(http.Request, "client_id", "email", "connection");
        if (body is null) return problem!;
        var refusal = await requests.RequestAsync(body["client_id"], body["email"], body["connection"], http.RequestAborted);
        return refusal is null ? Results.Text(SentBody, "application/json", Encoding.UTF8) : InvalidRequest(refusal);
    }
}
