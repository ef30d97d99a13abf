using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Oidc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// <c>GET /logs</c> as Auth0 answers it, in its two modes. <b>By checkpoint</b> (<c>from</c> and/or <c>take</c>): every
/// other parameter is ignored, <c>q</c> included; events after <c>from</c> in <c>log_id</c> order; the next page is the
/// <c>Link</c> header's <c>rel="next"</c> (the same URL again when nothing is newer). <b>By search</b>: <c>q</c>
/// (<see cref="LogSearchQuery"/>), <c>sort</c> (default <c>date:-1</c>), <c>page</c>/<c>per_page</c> within the first
/// 1000 results, <c>fields</c>/<c>include_fields</c>, and <c>include_totals</c>, whose <c>total</c> is the page's length
/// as on Auth0's log search v3. Also <c>GET /logs/{id}</c> and <c>GET /users/{id}/logs</c>.
/// </summary>
public static partial class LogsEndpoints
{
    public const int MaxTake = 100;
    public const int DefaultTake = 50;
    public const int MaxSearchResults = 1000;

    private static readonly string[] Parameters =
        ["q", "page", "per_page", "sort", "fields", "include_fields", "include_totals", "from", "take"];

    public static RouteGroupBuilder MapLogs(this RouteGroupBuilder api)
    {
        api.MapGet("/logs", ListAsync).Operation("Search log events", [ReadLogs]);
        api.MapGet("/logs/{logId}", GetAsync).Operation("Get a log event by id", [ReadLogs]);
        api.MapGet("/users/{id}/logs", UserLogsAsync).Operation("Get a user's log events", [ReadLogs, ReadLogsUsers]);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TenantDbContext db, TenantUrls urls)
    {
        var query = new ManagementQuery(http.Request.Query, Parameters);
        if (query.Has("from") || query.Has("take")) return await CheckpointAsync(http, query, db, urls);

        var paging = SearchPaging(query);
        var fields = query.Fields();
        var logs = db.Logs.AsNoTracking();
        if (LogSearchQuery.Parse(query.String("q")) is { } filter) logs = logs.Where(filter);
        var page = await Sorted(logs, query.String("sort")).Skip(paging.Skip).Take(paging.PerPage).ToListAsync(http.RequestAborted);
        return ManagementResults.Ok(paging.Envelope("logs", [.. page.Select(l => fields.Apply(Json(l)))], page.Count));
    }

    /// <summary>Events after <c>from</c> (from the oldest without it), oldest first, and the URL of the next page.</summary>
    private static async Task<IResult> CheckpointAsync(HttpContext http, ManagementQuery query, TenantDbContext db, TenantUrls urls)
    {
        var from = query.String("from");
        long after = 0;
        if (from is not null && !LogIds.TryParse(from, out after))
            throw ManagementErrors.InvalidQuery($"'Invalid log_id: {from}' on property from.");
        var take = query.Int("take", 1, MaxTake) ?? DefaultTake;
        var page = await db.Logs.AsNoTracking().Where(l => l.Id > after).OrderBy(l => l.Id).Take(take).ToListAsync(http.RequestAborted);

        var next = page.Count > 0 ? LogIds.Format(page[^1].Id) : from;
        var link = urls.Issuer.AbsoluteUri + "api/v2/logs?"
            + (next is null ? "" : "from=" + Uri.EscapeDataString(next) + "&")
            + "take=" + take.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[HeaderNames.Link] = $"<{link}>; rel=\"next\"";
        return ManagementResults.Ok(new JsonArray([.. page.Select(l => (JsonNode)Json(l))]));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string logId, TenantDbContext db)
    {
        _ = new ManagementQuery(http.Request.Query);
        var log = LogIds.TryParse(logId, out var id)
            ? await db.Logs.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, http.RequestAborted)
            : null;
        return log is null
            ? throw new ManagementApiException(StatusCodes.Status404NotFound, "log not found", "inexistent_log")
            : ManagementResults.Ok(Json(log));
    }

    /// <summary>A user's events by search (Auth0 takes <c>page</c>, <c>per_page</c>, <c>sort</c>, <c>include_totals</c> here).</summary>
    private static async Task<IResult> UserLogsAsync(HttpContext http, string id, TenantDbContext db)
    {
        var query = new ManagementQuery(http.Request.Query, "page", "per_page", "sort", "include_totals");
        var paging = SearchPaging(query);
        var page = await Sorted(db.Logs.AsNoTracking().Where(l => l.UserId == id), query.String("sort"))
            .Skip(paging.Skip).Take(paging.PerPage).ToListAsync(http.RequestAborted);
        return ManagementResults.Ok(paging.Envelope("logs", [.. page.Select(Json)], page.Count));
    }

    private static Paging SearchPaging(ManagementQuery query)
    {
        var paging = Paging.From(query);
        if (paging.Skip + paging.PerPage > MaxSearchResults)
            throw ManagementErrors.InvalidQuery($"'You can only page through the first {MaxSearchResults} records.' on property page.");
        return paging;
    }

    /// <summary>Auth0's <c>sort=field:1|-1</c> over the stored fields; newest first by default.</summary>
    private static IQueryable<TenantLogEvent> Sorted(IQueryable<TenantLogEvent> logs, string? sort)
    {
        if (sort is null) return logs.OrderByDescending(l => l.Date).ThenByDescending(l => l.Id);
        var match = SortPattern().Match(sort);
        if (!match.Success)
            throw ManagementErrors.InvalidQuery($"'String does not match pattern ^(\\w+):(1|-1)$: {sort}' on property sort.");
        var descending = match.Groups[2].Value == "-1";
        return match.Groups[1].Value switch
        {
            "date" => Order(logs, l => l.Date, descending),
            "log_id" => Order(logs, l => l.Id, descending),
            "type" => Order(logs, l => l.Type, descending),
            "client_id" => Order(logs, l => l.ClientId, descending),
            "client_name" => Order(logs, l => l.ClientName, descending),
            "connection" => Order(logs, l => l.Connection, descending),
            "description" => Order(logs, l => l.Description, descending),
            "ip" => Order(logs, l => l.Ip, descending),
            "user_id" => Order(logs, l => l.UserId, descending),
            "user_name" => Order(logs, l => l.UserName, descending),
            var other => throw ManagementErrors.InvalidQuery($"'Sorting by {other} is not supported' on property sort."),
        };
    }

    private static IOrderedQueryable<TenantLogEvent> Order<TKey>(
        IQueryable<TenantLogEvent> logs, Expression<Func<TenantLogEvent, TKey>> key, bool descending) =>
        descending
            ? logs.OrderByDescending(key).ThenByDescending(l => l.Id)
            : logs.OrderBy(key).ThenBy(l => l.Id);

    public static JsonObject Json(TenantLogEvent log)
    {
        var json = new JsonObject
        {
            ["date"] = Auth0Profile.IsoTime(log.Date),
            ["type"] = log.Type,
        };
        json.AddIfPresent("description", log.Description).AddIfPresent("connection", log.Connection)
            .AddIfPresent("client_id", log.ClientId).AddIfPresent("client_name", log.ClientName)
            .AddIfPresent("ip", log.Ip).AddIfPresent("user_agent", log.UserAgent).AddIfPresent("hostname", log.Hostname)
            .AddIfPresent("user_id", log.UserId).AddIfPresent("user_name", log.UserName);
        if (log.Details is not null) json["details"] = JsonNode.Parse(log.Details);
        json["log_id"] = LogIds.Format(log.Id);
        return json;
    }

    [GeneratedRegex(@"^(\w+):(1|-1)$", RegexOptions.CultureInvariant)]
    private static partial Regex SortPattern();
}
