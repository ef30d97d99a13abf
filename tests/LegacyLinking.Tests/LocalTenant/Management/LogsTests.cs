using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary><c>GET /logs</c>: Auth0's log event shape, login and API events, <c>q=type:…</c>, both paging styles.</summary>
public sealed class LogsTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Logins_and_API_changes_are_logged_newest_first_in_Auth0s_shape()
    {
        await tenant.Bearers.SignInAsync(Seeded.AdaGithub);
        var failed = await tenant.CreateDriver().LoginWithPasswordAsync(new AuthorizeRequest { Tenant = tenant.Url }.ToUri(), Seeded.AdaEmail, "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, failed.Status);
        await tenant.CreateDriver().LoginWithPasswordAsync(new AuthorizeRequest { Tenant = tenant.Url }.ToUri(), "nobody@example.com", "wrong");
        var server = await tenant.ServerTokenAsync();
        (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { seen = true } })).IsSuccess();

        var logs = (await _api.GetAsync("logs", server)).IsSuccess().Json.EnumerateArray().ToList();
        Assert.Equal(["sapi", "fu", "fp", "s"], logs.Take(4).Select(l => l.GetProperty("type").GetString()));
        var ids = logs.Select(l => l.GetProperty("log_id").GetString()).ToList();
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);

        var api = logs[0];
        Assert.Equal("Update a user", api.GetProperty("description").GetString());
        Assert.Equal((LocalTenantFixture.ClientId, "LegacyLinking", Seeded.Qa),
            (Text(api, "client_id"), Text(api, "client_name"), Text(api, "user_id")));
        Assert.Equal("PATCH", api.GetProperty("details").GetProperty("request").GetProperty("method").GetString());
        Assert.Equal(200, api.GetProperty("details").GetProperty("response").GetProperty("statusCode").GetInt32());
        Assert.True(DateTimeOffset.TryParse(Text(api, "date"), out _));

        Assert.Equal(("nobody@example.com", "Username-Password-Authentication"), (Text(logs[1], "user_name"), Text(logs[1], "connection")));
        Assert.Equal((Seeded.AdaEmail, "Wrong email or password."), (Text(logs[2], "user_name"), Text(logs[2], "description")));
        Assert.Equal((Seeded.AdaGithub, "github", LocalTenantFixture.ClientId),
            (Text(logs[3], "user_id"), Text(logs[3], "connection"), Text(logs[3], "client_id")));
    }

    [Fact]
    public async Task Q_filters_by_type_and_paging_has_totals()
    {
        var server = await tenant.ServerTokenAsync();
        for (var i = 0; i < 3; i++)
            (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { round = i } })).IsSuccess();

        var sapi = (await _api.GetAsync("logs?q=type:sapi&per_page=2&page=0&include_totals=true", server)).IsSuccess().Json;
        Assert.True(sapi.GetProperty("total").GetInt32() >= 3);
        Assert.Equal((0, 2, 2), (sapi.GetProperty("start").GetInt32(), sapi.GetProperty("limit").GetInt32(), sapi.GetProperty("length").GetInt32()));
        Assert.All(sapi.GetProperty("logs").EnumerateArray(), l => Assert.Equal("sapi", Text(l, "type")));

        var none = (await _api.GetAsync("logs?q=type:depnote_nothing", server)).IsSuccess().Json;
        Assert.Equal(0, none.GetArrayLength());
    }

    [Fact]
    public async Task From_and_take_page_forward_from_a_checkpoint()
    {
        var server = await tenant.ServerTokenAsync();
        (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { a = 1 } })).IsSuccess();
        var checkpoint = Text((await _api.GetAsync("logs?per_page=1", server)).Json[0], "log_id")!;
        (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { b = 2 } })).IsSuccess();
        (await _api.PatchAsync(TenantApi.UserPath(Seeded.Qa), server, new { user_metadata = new { c = 3 } })).IsSuccess();

        var after = (await _api.GetAsync($"logs?from={checkpoint}&take=1", server)).IsSuccess().Json;
        var next = Text(Assert.Single(after.EnumerateArray()), "log_id")!;
        Assert.True(string.CompareOrdinal(next, checkpoint) > 0);
        var rest = (await _api.GetAsync($"logs?from={next}&take=100", server)).IsSuccess().Json;
        Assert.Single(rest.EnumerateArray());
    }

    [Theory]
    [InlineData("logs?q=type:sapi OR type:s", "Query validation error: 'q supports only type:<code>, e.g. type:depnote' on property q.")]
    [InlineData("logs?q=user_id:x", "Query validation error: 'q supports only type:<code>, e.g. type:depnote' on property q.")]
    [InlineData("logs?from=123", "Query validation error: 'Invalid log_id: 123' on property from.")]
    [InlineData("logs?from=90000000000000000000001&page=1", "Query validation error: 'from and take cannot be combined with page, per_page or include_totals'.")]
    [InlineData("logs?take=101", "Query validation error: 'Value 101 is greater than maximum 100' on property take.")]
    [InlineData("logs?sort=date:1", "Query validation error: 'Additional properties not allowed: sort'.")]
    public async Task Invalid_queries_are_400(string path, string message) =>
        (await _api.GetAsync(path, await tenant.Bearers.ClientCredentialsAsync("read:logs")))
            .IsError(HttpStatusCode.BadRequest, message, "invalid_query_string");

    private static string? Text(JsonElement json, string name) => json.GetProperty(name).GetString();
}
