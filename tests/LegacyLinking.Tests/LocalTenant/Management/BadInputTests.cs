using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>Malformed requests to the Management API: always a 4xx in Auth0's error shape, never a 500 or an HTML page.</summary>
public sealed class BadInputTests(ManagementTenantFixture tenant) : IClassFixture<ManagementTenantFixture>
{
    private readonly TenantApi _api = tenant.Api;
    private static readonly string Qa = TenantApi.UserPath(Seeded.Qa);

    [Theory]
    [InlineData("{")]
    [InlineData("{\"name\":\"x\",}")]
    [InlineData("{'name':'x'}")]
    [InlineData("nul")]
    [InlineData("{\"name\":\"x\",\"name\":\"y\"}")]
    public async Task Malformed_json_is_400_invalid_body(string body) =>
        (await Patch(new StringContent(body, Encoding.UTF8, "application/json")))
            .IsError(HttpStatusCode.BadRequest, "Invalid request payload JSON format", "invalid_body");

    [Theory]
    [InlineData("{\"user_metadata\":{\"note\":\"\\ud800\"}}", "user_metadata.note")]
    [InlineData("{\"user_metadata\":{\"note\":\"a\\udc00b\"}}", "user_metadata.note")]
    [InlineData("{\"app_metadata\":{\"list\":[\"ok\",\"\\ud83d\"]}}", "app_metadata.list[1]")]
    [InlineData("{\"user_metadata\":{\"\\ud800\":1}}", null)]
    [InlineData("{\"name\":\"\\udfff\\ud800\"}", "name")]
    public async Task A_lone_utf16_surrogate_is_400_not_500(string body, string? property) =>
        (await Patch(new StringContent(body, Encoding.UTF8, "application/json")))
            .IsError(HttpStatusCode.BadRequest,
                "Payload validation error: 'String contains an unpaired UTF-16 surrogate'" + (property is null ? "." : $" on property {property}."), "invalid_body");

    [Fact]
    public async Task A_paired_surrogate_is_kept()
    {
        // Another user than the bad requests' target: this write succeeds, and Nothing_was_changed_by_the_bad_requests
        // may run after it.
        var reply = (await _api.SendAsync(HttpMethod.Patch, TenantApi.UserPath(Seeded.AdaDatabase), await tenant.ServerTokenAsync(),
            new StringContent("{\"user_metadata\":{\"emoji\":\"\\ud83d\\ude00\"}}", Encoding.UTF8, "application/json"))).IsSuccess();
        Assert.Equal("\U0001F600", reply.Json.GetProperty("user_metadata").GetProperty("emoji").GetString());
    }

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        var deep = "{\"user_metadata\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 41);
        (await Patch(new StringContent(deep, Encoding.UTF8, "application/json")))
            .IsError(HttpStatusCode.BadRequest, "Invalid request payload JSON format", "invalid_body");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task A_body_that_is_not_json_is_415(string mediaType) =>
        (await Patch(new StringContent("name=x", Encoding.UTF8, mediaType)))
            .IsError(HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type: send the body as application/json.", null);

    [Fact]
    public async Task An_oversize_body_is_413()
    {
        var big = $"{{\"user_metadata\":{{\"blob\":\"{new string('x', 70 * 1024)}\"}}}}";
        (await Patch(new StringContent(big, Encoding.UTF8, "application/json")))
            .IsError(HttpStatusCode.RequestEntityTooLarge, "Payload content length greater than maximum allowed: 65536", null);
    }

    [Fact]
    public async Task An_oversize_chunked_body_is_413()
    {
        var big = Encoding.UTF8.GetBytes($"{{\"user_metadata\":{{\"blob\":\"{new string('x', 70 * 1024)}\"}}}}");
        var content = new StreamContent(new MemoryStream(big));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(_api.Base, Qa)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tenant.ServerTokenAsync());
        request.Headers.TransferEncodingChunked = true;
        (await _api.SendAsync(request)).IsErrorWithCode(HttpStatusCode.RequestEntityTooLarge, null);
    }

    [Theory]
    [InlineData("users/%ZZ")]
    [InlineData("users/%E2%80%AE%F0%9F%98%80")]
    [InlineData("users/auth0%7Cabc%2F..%2F..%2Flogs")]
    [InlineData("users/..%2F..%2Flogs")]
    [InlineData("users/%25")]
    public async Task Odd_ids_in_the_path_are_404_inexistent_user(string path) =>
        (await _api.GetAsync(path, await tenant.ServerTokenAsync()))
            .IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");

    [Fact]
    public async Task A_NUL_in_the_path_is_refused_by_the_server_before_the_API()
    {
        // Kestrel rejects the request line itself (no application code runs, so the body is Kestrel's, not Auth0's).
        var reply = await _api.GetAsync("users/auth0%7C%00", await tenant.ServerTokenAsync());
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task A_very_long_query_is_400()
    {
        var q = Uri.EscapeDataString("email:\"" + new string('a', 2000) + "@example.com\"");
        (await _api.GetAsync($"users?q={q}", await tenant.ServerTokenAsync()))
            .IsError(HttpStatusCode.BadRequest, "Query validation error: 'q is longer than 1024 characters' on property q.", "invalid_query_string");
    }

    [Fact]
    public async Task Nothing_was_changed_by_the_bad_requests()
    {
        var user = (await _api.GetAsync(Qa, await tenant.ServerTokenAsync())).IsSuccess().Json;
        Assert.Equal("QA Tester", user.GetProperty("name").GetString());
        Assert.False(user.TryGetProperty("user_metadata", out _));
    }

    private async Task<ApiReply> Patch(HttpContent content) =>
        await _api.SendAsync(HttpMethod.Patch, Qa, await tenant.ServerTokenAsync(), content);
}
