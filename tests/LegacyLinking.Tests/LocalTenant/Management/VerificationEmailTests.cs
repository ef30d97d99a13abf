using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>
/// <c>POST /api/v2/jobs/verification-email</c>: Auth0's job answer, its scope and its 400s; the email lands in the
/// outbox and its link verifies the address it was sent to (and nothing else).
/// </summary>
public sealed class VerificationEmailTests(ManagementControlsFixture tenant) : IClassFixture<ManagementControlsFixture>
{
    private const string Path = "jobs/verification-email";
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task It_answers_Auth0s_job_and_its_emailed_link_verifies_the_address()
    {
        var email = $"unverified-{Guid.NewGuid():N}@example.com";
        var id = await tenant.CreateDatabaseUserAsync(email, new Dictionary<string, object?> { ["email_verified"] = false });

        var job = (await _api.PostAsync(Path, await tenant.ServerTokenAsync(), new { user_id = id })).IsSuccess(HttpStatusCode.Created).Json;
        Assert.Equal("verification_email", job.GetProperty("type").GetString());
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.StartsWith("job_", job.GetProperty("id").GetString());
        Assert.True(DateTimeOffset.TryParse(job.GetProperty("created_at").GetString(), out _));
        Assert.False(await VerifiedAsync(id));

        var link = await tenant.Controls.LatestLinkAsync(email);
        using var client = tenant.CreateClient();
        using var opened = await client.GetAsync(link, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.True(await VerifiedAsync(id));
    }

    [Fact]
    public async Task A_link_for_an_address_the_user_no_longer_has_or_a_forged_one_verifies_nothing()
    {
        var email = $"old-{Guid.NewGuid():N}@example.com";
        var id = await tenant.CreateDatabaseUserAsync(email, new Dictionary<string, object?> { ["email_verified"] = false });
        (await _api.PostAsync(Path, await tenant.ServerTokenAsync(), new { user_id = id })).IsSuccess(HttpStatusCode.Created);
        var link = await tenant.Controls.LatestLinkAsync(email);
        (await _api.PatchAsync(TenantApi.UserPath(id), await tenant.ServerTokenAsync(),
            new { email = $"new-{Guid.NewGuid():N}@example.com", email_verified = false })).IsSuccess();

        using var client = tenant.CreateClient();
        using var stale = await client.GetAsync(link, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        using var forged = await client.GetAsync(new Uri(link.GetLeftPart(UriPartial.Path) + "?ticket=" + new string((char)65, 120)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(await VerifiedAsync(id));
    }

    [Fact]
    public async Task Bad_input_gets_Auth0s_400_body_and_an_unknown_user_its_404()
    {
        var server = await tenant.ServerTokenAsync();
        (await _api.PostAsync(Path, server, new { })).IsError(HttpStatusCode.BadRequest,
            "Payload validation error: 'Missing required property: user_id'.", "invalid_body");
        (await _api.PostAsync(Path, server, new { user_id = 42 })).IsError(HttpStatusCode.BadRequest,
            "Payload validation error: 'Expected type string but found type number' on property user_id.", "invalid_body");
        (await _api.PostAsync(Path, server, new { user_id = Seeded.John, extra = true })).IsError(HttpStatusCode.BadRequest,
            "Payload validation error: 'Additional properties not allowed: extra'.", "invalid_body");
        (await _api.PostAsync(Path, server, new { user_id = Seeded.John, identity = new { provider = "google-oauth2" } })).IsError(HttpStatusCode.BadRequest,
            "Payload validation error: 'Missing required property: user_id' on property identity.", "invalid_body");
        (await _api.PostAsync(Path, server, new { user_id = "auth0|nobody" })).IsError(HttpStatusCode.NotFound, "The user does not exist.", "inexistent_user");
        (await _api.PostAsync(Path, server, new { user_id = Seeded.JohnSms })).IsError(HttpStatusCode.BadRequest,
            "The user does not have an email address.", "invalid_body");
    }

    [Fact]
    public async Task It_needs_update_users()
    {
        var readOnly = await tenant.Bearers.ClientCredentialsAsync("read:users");
        var refused = await _api.PostAsync(Path, readOnly, new { user_id = Seeded.John });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("update:users", refused.Message);
    }

    private async Task<bool> VerifiedAsync(string id) =>
        (await _api.GetAsync(TenantApi.UserPath(id), await tenant.ServerTokenAsync())).IsSuccess().Json.GetProperty("email_verified").ValueKind == JsonValueKind.True;
}
