using System.Net;
using System.Text;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.PasswordReset;

/// <summary>
/// <c>POST /dbconnections/change_password</c> <c>{client_id, email, connection}</c>: Auth0's one answer whether or not the
/// email has an account, a reset email (and an <c>scpr</c> event) only for an account, and Authentication API 400s.
/// </summary>
public sealed class ChangePasswordEndpointTests(PasswordResetTenantFixture tenant) : IClassFixture<PasswordResetTenantFixture>
{
    private const string Connection = PasswordResetTenantFixture.DatabaseConnection;

    [Fact]
    public async Task Known_and_unknown_emails_get_the_same_answer_and_only_the_known_one_an_email()
    {
        var known = $"known-{Guid.NewGuid():N}@example.com";
        await tenant.CreateDatabaseUserAsync(known);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var toKnown = (await tenant.RequestResetAsync(new { client_id = LocalTenantFixture.ClientId, email = known, connection = Connection })).IsSuccess();
        var toUnknown = (await tenant.RequestResetAsync(new { client_id = LocalTenantFixture.ClientId, email = unknown, connection = Connection })).IsSuccess();

        Assert.Equal("\"" + PasswordResetTenantFixture.SentMessage + "\"", toKnown.Text);
        Assert.Equal(toKnown.Text, toUnknown.Text);
        Assert.Equal(toKnown.MediaType, toUnknown.MediaType);
        Assert.Equal(PasswordResetTenantFixture.SentMessage, toKnown.Json.GetString());
        var email = Assert.Single(await tenant.Controls.EmailsAsync(known));
        Assert.Equal("Reset your password", email.GetProperty("subject").GetString());
        Assert.StartsWith(tenant.Url + "/lo/reset?ticket=", email.GetProperty("link").GetString());
        Assert.Contains(email.GetProperty("link").GetString()!, email.GetProperty("text").GetString());
        Assert.Empty(await tenant.Controls.EmailsAsync(unknown));
    }

    [Fact]
    public async Task A_form_body_and_an_email_in_other_case_work_too()
    {
        var email = $"form-{Guid.NewGuid():N}@example.com";
        await tenant.CreateDatabaseUserAsync(email);

        var reply = await tenant.Api.PostToTenantAsync("/dbconnections/change_password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = LocalTenantFixture.ClientId, ["email"] = " " + email.ToUpperInvariant(), ["connection"] = Connection,
        }));

        Assert.Equal(PasswordResetTenantFixture.SentMessage, reply.IsSuccess().Json.GetString());
        Assert.Single(await tenant.Controls.EmailsAsync(email));
    }

    [Fact]
    public async Task Each_request_sends_a_new_link_and_writes_an_scpr_event()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        var userId = await tenant.CreateDatabaseUserAsync(email);

        var first = await tenant.ResetLinkAsync(email);
        var second = await tenant.ResetLinkAsync(email);

        Assert.NotEqual(first, second);
        var events = (await tenant.LogsAsync("scpr")).Where(e => e.GetProperty("user_id").GetString() == userId).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal(LocalTenantFixture.ClientId, e.GetProperty("client_id").GetString());
            Assert.Equal(email, e.GetProperty("user_name").GetString());
            Assert.Equal(Connection, e.GetProperty("connection").GetString());
            Assert.DoesNotContain(first.Query, e.GetRawText());
            Assert.DoesNotContain(second.Query, e.GetRawText());
        });
    }

    [Theory]
    [InlineData("""{"email":"ada@example.com","connection":"Username-Password-Authentication"}""", "client_id")]
    [InlineData("""{"client_id":"","email":"ada@example.com","connection":"Username-Password-Authentication"}""", "client_id")]
    [InlineData("""{"client_id":"no-such-app","email":"ada@example.com","connection":"Username-Password-Authentication"}""", "no-such-app")]
    [InlineData("""{"client_id":"legacylinking-web","connection":"Username-Password-Authentication"}""", "email")]
    [InlineData("""{"client_id":"legacylinking-web","email":"not-an-email","connection":"Username-Password-Authentication"}""", "email")]
    [InlineData("""{"client_id":"legacylinking-web","email":"ada@example.com"}""", "connection")]
    [InlineData("""{"client_id":"legacylinking-web","email":"ada@example.com","connection":"no-such-connection"}""", "connection")]
    [InlineData("""{"client_id":"legacylinking-web","email":"ada@example.com","connection":"github"}""", "database connection")]
    [InlineData("""{"client_id":"legacylinking-web","email":"ada@example.com","connection":"sms"}""", "database connection")]
    [InlineData("""{"client_id":1,"email":"ada@example.com","connection":"Username-Password-Authentication"}""", "string")]
    [InlineData("""["legacylinking-web"]""", "JSON object")]
    [InlineData("{", "JSON")]
    public async Task Bad_requests_get_the_authentication_apis_400_and_send_nothing(string json, string mentioned)
    {
        var before = (await tenant.Controls.EmailsAsync(Seeded.AdaEmail)).Count;

        var reply = (await tenant.Api.PostToTenantAsync("/dbconnections/change_password", new StringContent(json, Encoding.UTF8, "application/json")))
            .IsAuthenticationError(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains(mentioned, reply.Json.GetProperty("error_description").GetString());
        Assert.Equal(2, reply.Json.EnumerateObject().Count());
        Assert.Equal(before, (await tenant.Controls.EmailsAsync(Seeded.AdaEmail)).Count);
    }

    [Fact]
    public async Task Other_content_types_are_refused_and_the_route_takes_only_POST()
    {
        (await tenant.Api.PostToTenantAsync("/dbconnections/change_password", new StringContent("email=ada@example.com", Encoding.UTF8, "text/plain")))
            .IsAuthenticationError(HttpStatusCode.BadRequest, "invalid_request");

        using var client = tenant.CreateClient();
        using var get = await client.GetAsync("/dbconnections/change_password", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.NotEqual("text/html", get.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_call_log_records_the_request_without_the_email_or_a_ticket()
    {
        var email = $"logged-{Guid.NewGuid():N}@example.com";
        await tenant.CreateDatabaseUserAsync(email);
        await tenant.Controls.ResetAsync();

        var link = await tenant.ResetLinkAsync(email);

        var call = Assert.Single(await tenant.Controls.CallsAsync("/dbconnections"));
        Assert.Equal(200, call.GetProperty("status").GetInt32());
        Assert.Equal(LocalTenantFixture.ClientId, call.GetProperty("clientId").GetString());
        var calls = await tenant.Controls.CallsTextAsync();
        Assert.DoesNotContain(email, calls);
        Assert.DoesNotContain(link.Query.Split('=')[1], calls);
    }
}
