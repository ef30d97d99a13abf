using System.Globalization;
using LegacyLinking.LocalTenant.ApiErrors;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>Applies armed faults: waits <c>latencyMs</c>, then answers with the fault's status and an Auth0-shaped body.</summary>
public sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var fault = http.Request.Path.StartsWithSegments(TestControlsSetup.PathPrefix)
            ? null
            : faults.TryTake(http.Request.Method, http.Request.Path.Value ?? "/");
        if (fault is null)
        {
            await next(http);
            return;
        }

        if (fault.LatencyMs > 0) await Task.Delay(fault.LatencyMs, http.RequestAborted);
        if (fault.Status is not { } status)
        {
            await next(http);
            return;
        }

        http.Response.StatusCode = status;
        if (status == StatusCodes.Status429TooManyRequests)
            http.Response.Headers.RetryAfter = (fault.RetryAfter ?? 1).ToString(CultureInfo.InvariantCulture);
        if (fault.Body is { } body)
        {
            await http.Response.WriteAsJsonAsync(body);
            return;
        }
        var message = $"Injected fault: the local tenant's test controls answered this request with {status}.";
        await http.Response.WriteAsJsonAsync(Auth0ErrorBody.For(http.Request.Path, status, message));
    }
}
