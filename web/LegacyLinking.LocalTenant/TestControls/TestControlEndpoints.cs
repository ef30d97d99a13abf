using System.Text.Json;
using LegacyLinking.LocalTenant.ApiErrors;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Legacy;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Outbox;
using LegacyLinking.LocalTenant.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>The body of <c>POST /test/next</c>.</summary>
public sealed record MutationRequest(string? Mutation, int? Count);

/// <summary>The body of <c>POST /test/log-events</c>: an event as another part of Auth0 would have written it.</summary>
public sealed record LogEventRequest(string? Type, string? Description, string? ClientId, string? UserId, DateTimeOffset? Date);

/// <summary>The body of <c>POST /test/rate-limit</c> and <c>/test/rate-limit/oauth-token</c>.</summary>
public sealed record RateLimitRequest(bool? Enabled, string? Profile, double? BurstSize, double? TokensPerSecond);

/// <summary>
/// The <c>/test/*</c> routes tests drive the tenant with. JSON in and out; bodies must be <c>application/json</c>, so a
/// cross-site page cannot send them without a CORS preflight (which the tenant never grants).
/// </summary>
public static class TestControlEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapTestControlRoutes(this IEndpointRouteBuilder endpoints)
    {
        var test = endpoints.MapGroup(TestControlsSetup.PathPrefix);

        test.MapPost("/faults", async (HttpRequest request, FaultInjector faults) =>
        {
            var (body, error) = await ReadAsync<FaultRequest>(request);
            if (body is null) return BadRequest(error);
            error = faults.TryAdd(body, out var fault);
            return error is null ? Results.Json(fault, Json, statusCode: StatusCodes.Status201Created) : BadRequest(error);
        });
        test.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.List(), Json));
        test.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        test.MapPost("/next", async (HttpRequest request, IdTokenMutations mutations) =>
        {
            var (body, error) = await ReadAsync<MutationRequest>(request);
            if (body is null) return BadRequest(error);
            var name = IdTokenMutator.Canonical(body.Mutation);
            if (name is null)
                return BadRequest($"unknown mutation '{body.Mutation}'; known: {string.Join(", ", IdTokenMutator.Names)}.");
            if (body.Count is < 1) return BadRequest("count must be at least 1.");
            mutations.Enqueue(name, body.Count ?? 1);
            return Results.Json(mutations.List(), Json, statusCode: StatusCodes.Status201Created);
        });
        test.MapGet("/next", (IdTokenMutations mutations) => Results.Json(mutations.List(), Json));
        test.MapDelete("/next", (IdTokenMutations mutations) =>
        {
            mutations.Clear();
            return Results.NoContent();
        });

        test.MapPost("/metadata", async (HttpRequest request, MetadataMutations metadata) =>
        {
            var (body, error) = await ReadAsync<MutationRequest>(request);
            if (body is null) return BadRequest(error);
            if (body.Mutation is not { } name || !MetadataMutations.Names.Contains(name))
                return BadRequest($"unknown metadata mutation '{body.Mutation}'; known: {string.Join(", ", MetadataMutations.Names)}.");
            metadata.Add(name);
            return Results.Json(metadata.List(), Json, statusCode: StatusCodes.Status201Created);
        });
        test.MapGet("/metadata", (MetadataMutations metadata) => Results.Json(metadata.List(), Json));
        test.MapDelete("/metadata", (MetadataMutations metadata) =>
        {
            metadata.Clear();
            return Results.NoContent();
        });

        test.MapGet("/calls", (CallLog log, string? path, string? method) => Results.Json(
            log.List().Where(c => (path is null || c.Path.StartsWith(path, StringComparison.OrdinalIgnoreCase))
                && (method is null || c.Method.Equals(method, StringComparison.OrdinalIgnoreCase))),
            Json));
        test.MapDelete("/calls", (CallLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });

        // The outbox, as a test reads the mailbox: a reset email's link carries its ticket.
        test.MapGet("/emails", async (TenantOutbox outbox, string? to, HttpContext http) =>
            Results.Json((await outbox.ListAsync(to, http.RequestAborted)).Select(EmailJson), Json));
        test.MapDelete("/emails", async (TenantOutbox outbox, HttpContext http) =>
        {
            await outbox.ClearAsync(http.RequestAborted);
            return Results.NoContent();
        });

        // A log event this tenant would never write itself (e.g. the depnote of a feature it does not serve), so an
        // app's log reader can be tested against wording it does not know; dated in the past, a log that reaches
        // further back than this tenant's own (as a real tenant's does, within its plan's retention).
        test.MapPost("/log-events", async (HttpRequest request, TenantLog log, TimeProvider clock) =>
        {
            var (body, error) = await ReadAsync<LogEventRequest>(request);
            if (body is null) return BadRequest(error);
            if (body.Type is not { Length: > 0 and <= 32 } type || body.Description is not { Length: > 0 and <= 512 } description)
                return BadRequest("type (1-32 characters) and description (1-512 characters) are required.");
            if (body.Date > clock.GetUtcNow()) return BadRequest("date must not be in the future.");
            await log.WriteAsync(new TenantLogEntry(type, description) { ClientId = body.ClientId, UserId = body.UserId, At = body.Date },
                request.HttpContext.RequestAborted);
            return Results.NoContent();
        });

        MapRateLimit(test, "/rate-limit", limits => limits.Management);
        MapRateLimit(test, "/rate-limit/oauth-token", limits => limits.TokenEndpoint);

        // A body is not needed, but its JSON content type is: a cross-site form cannot send one without a preflight.
        test.MapPost("/reset", async (
            FaultInjector faults, IdTokenMutations mutations, MetadataMutations metadata, CallLog log, TenantRateLimits limits, TenantOutbox outbox,
            DeprecationNoticeWindows depnotes, HttpContext http) =>
        {
            if (!http.Request.HasJsonContentType()) return BadRequest("the body must be application/json (e.g. {}).");
            faults.Clear();
            mutations.Clear();
            metadata.Clear();
            log.Clear();
            limits.Reset();
            depnotes.Clear();
            await outbox.ClearAsync(http.RequestAborted);
            return Results.NoContent();
        });
        return endpoints;
    }

    private static void MapRateLimit(RouteGroupBuilder test, string pattern, Func<TenantRateLimits, RateLimitBucket> bucketOf)
    {
        test.MapGet(pattern, (TenantRateLimits limits) => Results.Json(bucketOf(limits).Policy, Json));
        test.MapPost(pattern, async (HttpRequest request, TenantRateLimits limits) =>
        {
            var (body, error) = await ReadAsync<RateLimitRequest>(request);
            if (body is null) return BadRequest(error);
            error = RateLimitPolicy.TryCreate(body.Enabled ?? true, body.Profile, body.BurstSize, body.TokensPerSecond, out var policy);
            if (policy is null) return BadRequest(error);
            bucketOf(limits).Apply(policy);
            return Results.Json(policy, Json);
        });
    }

    private static object EmailJson(OutboxEmail email) =>
        new { id = email.Id, at = email.SentAt, to = email.To, subject = email.Subject, text = email.Text, link = email.Link };

    private static IResult BadRequest(string? message) =>
        Results.Json(Auth0ErrorBody.Management(StatusCodes.Status400BadRequest, message ?? "Bad request.", "invalid_body"), Json,
            statusCode: StatusCodes.Status400BadRequest);

    private static async Task<(T? Body, string? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType()) return (null, "the body must be application/json.");
        try
        {
            var body = await request.ReadFromJsonAsync<T>(Json, request.HttpContext.RequestAborted);
            return body is null ? (null, "the body must be a JSON object.") : (body, null);
        }
        catch (JsonException exception)
        {
            return (null, "the body is not valid JSON for this route: " + exception.Message);
        }
    }
}
