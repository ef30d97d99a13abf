using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary><c>GET /users-by-email</c> and <c>GET /users?q=…&amp;search_engine=v3</c> over the seeded Ada accounts (read-only).</summary>
public sealed class SearchTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task Users_by_email_is_a_plain_array_of_every_account_with_the_email()
    {
        var users = (await _api.GetAsync("users-by-email?email=ada@example.com", await Server())).IsSuccess().Json;
        Assert.Equal(JsonValueKind.Array, users.ValueKind);
        Assert.Equal(new[] { Seeded.AdaDatabase, Seeded.AdaFacebookUnverified, Seeded.AdaGithub }.Order(), Ids(users).Order());
        var facebook = users.EnumerateArray().Single(u => u.GetProperty("user_id").GetString() == Seeded.AdaFacebookUnverified);
        Assert.Equal(JsonValueKind.False, facebook.GetProperty("email_verified").ValueKind);
    }

    [Fact]
    public async Task Users_by_email_honours_fields_and_finds_nobody_for_an_unknown_email()
    {
        var users = (await _api.GetAsync("users-by-email?email=ada@example.com&fields=user_id", await Server())).IsSuccess().Json;
        Assert.All(users.EnumerateArray(), u => Assert.Equal(["user_id"], u.EnumerateObject().Select(p => p.Name)));
        var none = (await _api.GetAsync("users-by-email?email=nobody@example.com", await Server())).IsSuccess().Json;
        Assert.Equal(0, none.GetArrayLength());
    }

    [Theory]
    [InlineData("users-by-email", "Query validation error: 'Missing required property: email'.")]
    [InlineData("users-by-email?email=", "Query validation error: 'Missing required property: email'.")]
    [InlineData("users-by-email?email=a%22OR%22b", "Query validation error: 'Object didn't pass validation for format email: a\"OR\"b' on property email.")]
    [InlineData("users-by-email?email=*", "Query validation error: 'Object didn't pass validation for format email: *' on property email.")]
    [InlineData("users-by-email?email=a@b.c&email=d@e.f", "Query validation error: 'Expected type string but found type array' on property email.")]
    [InlineData("users-by-email?email=a@b.c&q=x", "Query validation error: 'Additional properties not allowed: q'.")]
    public async Task Users_by_email_with_a_missing_or_invalid_email_is_400(string path, string message) =>
        (await _api.GetAsync(path, await Server())).IsError(HttpStatusCode.BadRequest, message, "invalid_query_string");

    [Fact]
    public async Task The_link_samples_query_finds_the_other_verified_accounts()
    {
        var q = $"email:\"{Seeded.AdaEmail}\" AND email_verified:true -user_id:\"{Seeded.AdaDatabase}\"";
        var users = (await _api.GetAsync($"users?q={Uri.EscapeDataString(q)}&search_engine=v3", await Server())).IsSuccess().Json;
        Assert.Equal([Seeded.AdaGithub], Ids(users));
    }

    [Theory]
    [InlineData("email_verified:false", new[] { Seeded.AdaFacebookUnverified })]
    [InlineData("email:\"ADA@example.com\"  email_verified:true", new[] { Seeded.AdaDatabase, Seeded.AdaGithub })]
    [InlineData("email:\"ada@example.com\" -user_id:\"github|1234567\" -user_id:\"facebook|10158000000000001\"", new[] { Seeded.AdaDatabase })]
    [InlineData("email:\"qa@example.com\"", new[] { Seeded.Qa })]
    [InlineData("email:\"*@example.com\"", new string[0])]
    public async Task The_supported_subset_filters_exactly(string q, string[] expected)
    {
        var users = (await _api.GetAsync($"users?q={Uri.EscapeDataString(q)}&search_engine=v3", await Server())).IsSuccess().Json;
        Assert.Equal(expected.Order(), Ids(users).Order());
    }

    [Fact]
    public async Task Totals_and_paging_use_Auth0s_envelope()
    {
        var q = Uri.EscapeDataString("email:\"ada@example.com\"");
        var first = (await _api.GetAsync($"users?q={q}&search_engine=v3&per_page=2&page=0&include_totals=true&sort=user_id:1", await Server()))
            .IsSuccess().Json;
        Assert.Equal((0, 2, 2, 3), (Int(first, "start"), Int(first, "limit"), Int(first, "length"), Int(first, "total")));
        Assert.Equal([Seeded.AdaDatabase, Seeded.AdaFacebookUnverified], Ids(first.GetProperty("users")));

        var second = (await _api.GetAsync($"users?q={q}&search_engine=v3&per_page=2&page=1&include_totals=true&sort=user_id:1", await Server()))
            .IsSuccess().Json;
        Assert.Equal((2, 2, 1, 3), (Int(second, "start"), Int(second, "limit"), Int(second, "length"), Int(second, "total")));
        Assert.Equal([Seeded.AdaGithub], Ids(second.GetProperty("users")));

        var descending = (await _api.GetAsync($"users?q={q}&sort=user_id:-1", await Server())).IsSuccess().Json;
        Assert.Equal(Seeded.AdaGithub, Ids(descending)[0]);
    }

    [Theory]
    [InlineData("name:\"John Doe\"")]
    [InlineData("email:*@example.com")]
    [InlineData("email:\"ada@example.com\" OR email_verified:true")]
    [InlineData("(email:\"ada@example.com\")")]
    [InlineData("email:\"ada@example.com")]
    [InlineData("email:\"ada@example.com\\\" OR \\\"x\"")]
    [InlineData("email_verified:yes")]
    [InlineData("email_verified:true AND")]
    [InlineData("AND email_verified:true")]
    [InlineData("user_id:\"auth0|1\"")]
    [InlineData("-email:\"ada@example.com\"")]
    [InlineData("email:\"a@b.c\"email_verified:true")]
    [InlineData("email:\"a@b.c\" email:\"d@e.f\"")]
    [InlineData("app_metadata.roles:\"Admin\"")]
    [InlineData("*:*")]
    [InlineData("email:\"a@b.c\"^2")]
    [InlineData("email:a~")]
    public async Task Anything_outside_the_subset_is_400_and_never_evaluated(string q)
    {
        var reply = await _api.GetAsync($"users?q={Uri.EscapeDataString(q)}&search_engine=v3", await Server());
        reply.IsErrorWithCode(HttpStatusCode.BadRequest, "invalid_query_string");
        Assert.StartsWith("Query validation error: '", reply.Message);
        Assert.EndsWith("' on property q.", reply.Message);
    }

    [Theory]
    [InlineData("users?search_engine=v2", "Query validation error: 'No enum match for: \"v2\"' on property search_engine.")]
    [InlineData("users?per_page=101", "Query validation error: 'Value 101 is greater than maximum 100' on property per_page.")]
    [InlineData("users?per_page=0", "Query validation error: 'Value 0 is less than minimum 1' on property per_page.")]
    [InlineData("users?page=-1", "Query validation error: 'Expected type integer but found type string' on property page.")]
    [InlineData("users?page=10&per_page=100", "Query validation error: 'You can only page through the first 1000 records.' on property page.")]
    [InlineData("users?include_totals=1", "Query validation error: 'Expected type boolean but found type string' on property include_totals.")]
    [InlineData("users?sort=password:1", "Query validation error: 'Sorting by password is not supported' on property sort.")]
    [InlineData("users?sort=email", "Query validation error: 'String does not match pattern ^(\\w+):(1|-1)$: email' on property sort.")]
    [InlineData("users?search=ada", "Query validation error: 'Additional properties not allowed: search'.")]
    public async Task Invalid_search_parameters_are_400(string path, string message) =>
        (await _api.GetAsync(path, await Server())).IsError(HttpStatusCode.BadRequest, message, "invalid_query_string");

    [Fact]
    public async Task Without_q_every_user_is_listed_and_connection_filters()
    {
        var all = (await _api.GetAsync("users?include_totals=true", await Server())).IsSuccess().Json;
        Assert.Equal(6, Int(all, "total"));
        var github = (await _api.GetAsync("users?connection=github", await Server())).IsSuccess().Json;
        Assert.Equal([Seeded.AdaGithub], Ids(github));
    }

    private Task<string> Server() => tenant.Bearers.ClientCredentialsAsync("read:users");

    private static List<string?> Ids(JsonElement users) => users.EnumerateArray().Select(u => u.GetProperty("user_id").GetString()).ToList();

    private static int Int(JsonElement json, string name) => json.GetProperty(name).GetInt32();
}
