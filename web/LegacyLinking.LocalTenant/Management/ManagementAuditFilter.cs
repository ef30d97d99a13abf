using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Logs;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// Writes Auth0's <c>sapi</c>/<c>fapi</c> log event for every Management API call that changes something, with the
/// method, path and status only: bodies are never logged (they carry <c>link_with</c> ID tokens and passwords).
/// </summary>
public sealed class ManagementAuditFilter(TenantLog log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<ManagementOperation>() is not { } operation)
            return result;

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var caller = http.Features.Get<ManagementCaller>();
        var succeeded = status < 400;
        await log.WriteAsync(new TenantLogEntry(
            succeeded ? LogTypes.SuccessApiOperation : LogTypes.FailedApiOperation, operation.Description)
        {
            ClientId = caller?.ClientId,
            UserId = (string?)http.Request.RouteValues["id"],
            Details = new JsonObject
            {
                ["request"] = new JsonObject { ["method"] = http.Request.Method, ["path"] = http.Request.Path.Value },
                ["response"] = new JsonObject { ["statusCode"] = status },
            },
        }, http.RequestAborted);
        return result;
    }
}
