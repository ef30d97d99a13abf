using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Oidc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// <c>GET /logs</c>: Auth0's log events, newest first with <c>page</c>/<c>per_page</c>/<c>include_totals</c>, or
/// oldest first after a checkpoint with <c>from</c>/<c>take</c>. <c>q</c> supports only <c>type:&lt;code&gt;</c>.
/// </summary>
public static partial class LogsEndpoints
{
    public static RouteGroupBuilder MapLogs(this RouteGroupBuilder api)
    {
        api.MapGet("/logs", ListAsync).Operation("Search log events", [ReadLogs]);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TenantDbContext db)
    {
        var query = new ManagementQuery(http.Request.Query,
            "q", "page", "per_page", "include_totals", "from", "take", "fields", "include_fields");
        var fields = query.Fields();
        var logs = db.Logs.AsNoTracking();
        if (query.String("q") is { Length: > 0 } q)
        {
            var match = TypeQuery().Match(q);
            if (!match.Success) throw ManagementErrors.InvalidQuery($"'q supports only type:<code>, e.g. type:depnote' on property q.");
            var type = match.Groups[1].Value;
            logs = logs.Where(l => l.Type == type);
        }

        if (query.Has("from") || query.Has("take"))
        {
            if (query.Has("page") || query.Has("per_page") || query.Has("include_totals"))
                throw ManagementErrors.InvalidQuery("'from and take cannot be combined with page, per_page or include_totals'.");
            var from = query.String("from");
            long after = 0;
            if (from is not null && !LogIds.TryParse(from, out after))
                throw ManagementErrors.InvalidQuery($"'Invalid log_id: {from}' on property from.");
            var take = query.Int("take", 1, Paging.MaxPerPage) ?? Paging.DefaultPerPage;
            var page = await logs.Where(l => l.Id > after).OrderBy(l => l.Id).Take(take).ToListAsync(http.RequestAborted);
            return ManagementResults.Ok(new JsonArray([.. page.Select(l => fields.Apply(Json(l)))]));
        }

        var paging = Paging.From(query);
        var total = await logs.CountAsync(http.RequestAborted);
        var newest = await logs.OrderByDescending(l => l.Id).Skip(paging.Skip).Take(paging.PerPage).ToListAsync(http.RequestAborted);
        return ManagementResults.Ok(paging.Envelope("logs", [.. newest.Select(l => fields.Apply(Json(l)))], total));
    }

    public static JsonObject Json(TenantLogEvent log)
    {
        var json = new JsonObject
        {
            ["log_id"] = LogIds.Format(log.Id),
            ["date"] = Auth0Profile.IsoTime(log.Date),
            ["type"] = log.Type,
        };
        json.AddIfPresent("description", log.Description).AddIfPresent("client_id", log.ClientId)
            .AddIfPresent("client_name", log.ClientName).AddIfPresent("user_id", log.UserId)
            .AddIfPresent("user_name", log.UserName).AddIfPresent("connection", log.Connection);
        if (log.Details is not null) json["details"] = JsonNode.Parse(log.Details);
        return json;
    }

    [GeneratedRegex(@"^\s*type:([a-z_]{1,32})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeQuery();
}
