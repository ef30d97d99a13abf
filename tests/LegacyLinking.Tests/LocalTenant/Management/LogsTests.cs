using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>
/// <c>GET /logs</c> as Auth0 answers it: the events the tenant writes for what it does, checkpoint paging that ignores
/// every other parameter and leads on through the <c>Link</c> header, and search with Auth0's query syntax.
/// </summary>
public sealed partial class LogsTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Sign_ins_token_exchanges_and_API_writes_are_logged_in_Auth0s_shape()
    {
        var user = await tenant.NewSignedInUserAsync(); // a password login and its code exchange
        var app = await tenant.Bearers.ClientCredentialsAsync();
        (await _api.PatchAsync(TenantApi.UserPath(user.Id), app, new { user_metadata = new { seen = true } })).IsSuccess();
        await tenant.CreateDriver().LoginWithPasswordAsync(new AuthorizeRequest { Tenant = tenant.Url }.ToUri(), user.Email, "Wrong-Passw0rd");

        var events = await SearchAsync($"user_id:\"{user.Id}\" OR user_name:\"{user.Email}\"");
        Assert.Equal(["fp", "sapi", "seacft", "s"], events.Select(e => Text(e, "type")));

        var api = events[1];
        Assert.Equal(("Update a user", LocalTenantFixture.ClientId, "LegacyLinking"),
            (Text(api, "description"), Text(api, "client_id"), Text(api, "client_name")));
        Assert.Equal("PATCH", api.GetProperty("details").GetProperty("request").GetProperty("method").GetString());
        Assert.Equal(200, api.GetProperty("details").GetProperty("response").GetProperty("statusCode").GetInt32());
        var login = events[3];
        Assert.Equal((user.Email, "Username-Password-Authentication", "Successful login"),
            (Text(login, "user_name"), Text(login, "connection"), Text(login, "description")));
        Assert.Equal(("Authorization Code for Access Token", LocalTenantFixture.ClientId), (Text(events[2], "description"), Text(events[2], "client_id")));
        Assert.Equal("Wrong email or password.", Text(events[0], "description"));
        Assert.All(events, e =>
        {
            Assert.Equal("127.0.0.1", Text(e, "ip"));
            Assert.Equal("127.0.0.1", Text(e, "hostname"));
            Assert.Matches("^900[0-9]{20}$", Text(e, "log_id"));
            Assert.True(DateTimeOffset.TryParse(Text(e, "date"), out _));
        });
    }

    [Fact]
    public async Task Failed_exchanges_and_client_credentials_are_logged_with_the_error_the_client_got()
    {
        var checkpoint = await NewestIdAsync();
        var tokens = tenant.CreateTokenClient();
        var refused = await tokens.RefreshAsync("not-a-refresh-token");
        Assert.Equal("invalid_grant", refused.Error);
        Assert.Null((await tokens.ClientCredentialsAsync(tenant.ManagementAudience, clientSecret: "wrong-secret")).AccessToken);
        Assert.NotNull((await tokens.ClientCredentialsAsync(tenant.ManagementAudience)).AccessToken);

        var events = (await _api.GetAsync($"logs?from={checkpoint}&take=100", await tenant.ServerTokenAsync())).IsSuccess()
            .Json.EnumerateArray().ToList();
        Assert.Equal(["fertft", "feccft", "seccft"], events.Select(e => Text(e, "type")));
        Assert.Equal(refused.ErrorDescription, Text(events[0], "description"));
        Assert.All(events, e => Assert.Equal(LocalTenantFixture.ClientId, Text(e, "client_id")));
        Assert.Equal("Client Credentials for Access Token", Text(events[2], "description"));
        Assert.DoesNotContain("wrong-secret", string.Join(" ", events));
    }

    [Fact]
    public async Task By_checkpoint_every_other_parameter_is_ignored_and_the_Link_header_leads_on()
    {
        var server = await tenant.ServerTokenAsync();
        var checkpoint = await NewestIdAsync();
        for (var i = 0; i < 3; i++)
            (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { round = i } })).IsSuccess();

        // q, page, per_page, sort, fields and include_totals would each change a search; here they change nothing.
        var first = (await _api.GetAsync(
            $"logs?from={checkpoint}&take=2&q=type:depnote&page=3&per_page=1&sort=date:-1&fields=type&include_fields=true&include_totals=true",
            server)).IsSuccess();
        var page = first.Json.EnumerateArray().ToList();
        Assert.Equal(2, page.Count);
        Assert.All(page, e => Assert.Equal(("sapi", "Update a user"), (Text(e, "type"), Text(e, "description"))));
        var ids = page.Select(e => Text(e, "log_id")!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.True(string.CompareOrdinal(ids[0], checkpoint) > 0);

        var next = NextLink(first);
        Assert.Equal($"{tenant.Url}/api/v2/logs?from={ids[1]}&take=2", next);
        var second = (await _api.GetAsync(next, server)).IsSuccess();
        var rest = Assert.Single(second.Json.EnumerateArray());
        Assert.True(string.CompareOrdinal(Text(rest, "log_id"), ids[1]) > 0);

        // Nothing newer: an empty page whose next link is the same URL.
        var caughtUp = NextLink(second);
        var empty = (await _api.GetAsync(caughtUp, server)).IsSuccess();
        Assert.Equal(0, empty.Json.GetArrayLength());
        Assert.Equal(caughtUp, NextLink(empty));
    }

    [Fact]
    public async Task Take_without_from_starts_at_the_oldest_event()
    {
        var server = await tenant.ServerTokenAsync();
        var oldest = (await _api.GetAsync("logs?sort=date:1&per_page=2", server)).IsSuccess().Json.EnumerateArray()
            .Select(e => Text(e, "log_id")).ToList();
        var reply = (await _api.GetAsync("logs?take=2", server)).IsSuccess();
        Assert.Equal(oldest, reply.Json.EnumerateArray().Select(e => Text(e, "log_id")));
        Assert.Equal($"{tenant.Url}/api/v2/logs?from={oldest[1]}&take=2", NextLink(reply));
    }

    [Fact]
    public async Task Search_takes_Auth0s_query_syntax_and_is_case_sensitive()
    {
        var prefix = "q" + Guid.NewGuid().ToString("N")[..10];
        foreach (var name in new[] { "alpha", "beta" })
            await tenant.CreateDriver().LoginWithPasswordAsync(new AuthorizeRequest { Tenant = tenant.Url }.ToUri(), $"{prefix}-{name}@example.com", "Wrong-Passw0rd");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");

        async Task<int> Count(string q) => (await SearchAsync(q)).Count;
        Assert.Equal(2, await Count($"user_name:{prefix}*"));
        Assert.Equal(1, await Count($"user_name:{prefix}-a*"));
        Assert.Equal(0, await Count($"user_name:{prefix.ToUpperInvariant()}*"));
        Assert.Equal(1, await Count($"user_name:\"{prefix}-beta@example.com\""));
        Assert.Equal(1, await Count($"\"{prefix}-beta@example.com\""));
        Assert.Equal(2, await Count($"user_name:\"{prefix}-alpha@example.com\" OR user_name:\"{prefix}-beta@example.com\""));
        Assert.Equal(1, await Count($"user_name:{prefix}* AND NOT user_name:*alpha@example.com"));
        Assert.Equal(1, await Count($"user_name:{prefix}* AND -user_name:*beta@example.com"));
        Assert.Equal(2, await Count($"(user_name:{prefix}-a* OR user_name:{prefix}-b*) AND type:fu"));
        Assert.Equal(0, await Count($"user_name:{prefix}* AND type:fp"));
        Assert.Equal(2, await Count($"user_name:{prefix}* AND date:[{today} TO *]"));
        Assert.Equal(2, await Count($"user_name:{prefix}* AND date:{today}"));
        Assert.Equal(0, await Count($"user_name:{prefix}* AND date:[* TO {today}}}"));
        Assert.Equal(0, await Count($"user_name:{prefix}* AND connection_id:con_x"));
    }

    [Fact]
    public async Task Search_sorts_selects_fields_pages_and_reports_totals_as_Auth0s_log_search_v3()
    {
        var server = await tenant.ServerTokenAsync();
        for (var i = 0; i < 3; i++)
            (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { sorted = i } })).IsSuccess();

        var newest = await IdsAsync("logs?q=type:sapi&per_page=3");
        var oldestFirst = await IdsAsync("logs?q=type:sapi&per_page=100&sort=date:1");
        Assert.Equal(newest.Order(StringComparer.Ordinal).Reverse(), newest);
        Assert.Equal(oldestFirst.Order(StringComparer.Ordinal), oldestFirst);
        Assert.Equal(newest[2], (await IdsAsync("logs?q=type:sapi&per_page=1&page=2"))[0]);

        var only = (await _api.GetAsync("logs?q=type:sapi&per_page=1&fields=type,log_id", server)).IsSuccess().Json[0];
        Assert.Equal(["type", "log_id"], only.EnumerateObject().Select(p => p.Name).Order().Reverse());
        var without = (await _api.GetAsync("logs?q=type:sapi&per_page=1&fields=details,date&include_fields=false", server)).IsSuccess().Json[0];
        Assert.False(without.TryGetProperty("details", out _) || without.TryGetProperty("date", out _));
        Assert.True(without.TryGetProperty("description", out _));

        var totals = (await _api.GetAsync("logs?q=type:sapi&per_page=2&page=0&include_totals=true", server)).IsSuccess().Json;
        Assert.Equal((0, 2, 2, 2), (totals.GetProperty("start").GetInt32(), totals.GetProperty("limit").GetInt32(),
            totals.GetProperty("length").GetInt32(), totals.GetProperty("total").GetInt32()));
        Assert.All(totals.GetProperty("logs").EnumerateArray(), l => Assert.Equal("sapi", Text(l, "type")));
    }

    [Fact]
    public async Task One_event_is_read_by_id_and_a_users_events_by_user()
    {
        var server = await tenant.ServerTokenAsync();
        var user = await tenant.NewSignedInUserAsync();
        var mine = (await _api.GetAsync(TenantApi.UserPath(user.Id, "/logs?sort=date:1"), server)).IsSuccess().Json.EnumerateArray().ToList();
        Assert.Equal(["s", "seacft"], mine.Select(e => Text(e, "type")));

        var id = Text(mine[0], "log_id")!;
        var one = (await _api.GetAsync($"logs/{id}", server)).IsSuccess().Json;
        Assert.Equal((id, "s", user.Id), (Text(one, "log_id"), Text(one, "type"), Text(one, "user_id")));
        (await _api.GetAsync("logs/90099999999999999999999", server)).IsError(HttpStatusCode.NotFound, "log not found", "inexistent_log");
    }

    [Theory]
    [InlineData("logs?q=user:x", "Query validation error: 'user is not a searchable field (at position 0)' on property q.")]
    [InlineData("logs?q=Type:s", "Query validation error: 'Type is not a searchable field (at position 0)' on property q.")]
    [InlineData("logs?q=type:s type:f", "Query validation error: 'join terms with AND or OR (at position 7)' on property q.")]
    [InlineData("logs?q=user_name:jo?n", "Query validation error: 'the ? wildcard is not supported' on property q.")]
    [InlineData("logs?q=user_name:*sa", "Query validation error: 'a wildcard that does not end the term needs at least 3 literal characters: *sa' on property q.")]
    [InlineData("logs?q=user_name:a\\b", "Query validation error: 'escapes are not supported; quote the value instead' on property q.")]
    [InlineData("logs?q=(type:s", "Query validation error: 'a parenthesis is not closed' on property q.")]
    [InlineData("logs?q=date:[2020-01-01 TO 2021]x", "Query validation error: 'join terms with AND or OR (at position 25)' on property q.")]
    [InlineData("logs?q=date:yesterday", "Query validation error: ''yesterday' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss)' on property q.")]
    [InlineData("logs?sort=user_agent:1", "Query validation error: 'Sorting by user_agent is not supported' on property sort.")]
    [InlineData("logs?sort=date", "Query validation error: 'String does not match pattern ^(\\w+):(1|-1)$: date' on property sort.")]
    [InlineData("logs?page=10&per_page=100", "Query validation error: 'You can only page through the first 1000 records.' on property page.")]
    [InlineData("logs?per_page=101", "Query validation error: 'Value 101 is greater than maximum 100' on property per_page.")]
    [InlineData("logs?from=123", "Query validation error: 'Invalid log_id: 123' on property from.")]
    [InlineData("logs?take=101", "Query validation error: 'Value 101 is greater than maximum 100' on property take.")]
    [InlineData("logs?search_engine=v3", "Query validation error: 'Additional properties not allowed: search_engine'.")]
    public async Task Invalid_queries_are_400(string path, string message) =>
        (await _api.GetAsync(path, await tenant.Bearers.ClientCredentialsAsync("read:logs")))
            .IsError(HttpStatusCode.BadRequest, message, "invalid_query_string");

    private async Task<List<JsonElement>> SearchAsync(string q) =>
        (await _api.GetAsync($"logs?per_page=100&q={Uri.EscapeDataString(q)}", await tenant.ServerTokenAsync()))
            .IsSuccess().Json.EnumerateArray().ToList();

    private async Task<List<string>> IdsAsync(string path) =>
        (await _api.GetAsync(path, await tenant.ServerTokenAsync())).IsSuccess().Json.EnumerateArray()
            .Select(e => Text(e, "log_id")!).ToList();

    private async Task<string> NewestIdAsync() => (await IdsAsync("logs?per_page=1"))[0];

    private static string NextLink(ApiReply reply)
    {
        Assert.True(reply.Headers.TryGetValue("Link", out var link), $"no Link header: {reply}");
        var match = LinkNext().Match(link);
        Assert.True(match.Success, $"no rel=\"next\" in {link}");
        return match.Groups[1].Value;
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.GetString() : null;

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex LinkNext();
}
