using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// Malformed input (over-long form fields, broken bodies, bad antiforgery tokens) surfaces as exceptions deep inside
/// OpenIddict or model binding; it is the client's fault, so it becomes a 4xx that the status-code page renders.
/// </summary>
public sealed class BadRequestMiddleware(RequestDelegate next, ILogger<BadRequestMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception exception) when (StatusFor(exception) is { } status && !http.Response.HasStarted)
        {
            logger.LogInformation("Rejected a malformed request to {Path}: {Message}", http.Request.Path, exception.Message);
            http.Response.Clear();
            http.Response.StatusCode = status;
        }
    }

    private static int? StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        InvalidDataException => StatusCodes.Status400BadRequest,
        AntiforgeryValidationException => StatusCodes.Status400BadRequest,
        _ when exception.InnerException is { } inner => StatusFor(inner),
        _ => null,
    };
}
