using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>JSON answers of the Management API.</summary>
public static class ManagementResults
{
    /// <summary>Plain JSON as Auth0 writes it (<c>+14258831929</c>, not <c>\u002B14258831929</c>); these bodies are never HTML.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Ok(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(body, Json, statusCode: statusCode);

    public static IResult Error(ManagementApiException error) =>
        Results.Json(error.Body, Json, statusCode: error.StatusCode);
}

/// <summary>
/// Turns every failure under <c>/api/v2</c> into Auth0's error body: <see cref="ManagementApiException"/>, and the
/// server's own rejections of the request (e.g. a body over the size limit).
/// </summary>
public sealed class ManagementErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ManagementApiException error)
        {
            return ManagementResults.Error(error);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ManagementResults.Error(ManagementErrors.PayloadTooLarge());
        }
        catch (BadHttpRequestException bad)
        {
            return ManagementResults.Error(new ManagementApiException(bad.StatusCode, "Invalid request payload"));
        }
    }
}
