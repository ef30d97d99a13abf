using System.Text;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Legacy;

/// <summary>
/// The <c>depnote</c> log events as Auth0 writes them: the feature named in <c>description</c>, the client of the call,
/// <c>details</c> per Auth0's log schema, and one event per feature an hour, whichever client comes first.
/// (<c>POST /test/reset</c> opens the hour windows, as if an hour had passed.)
/// </summary>
public sealed class DeprecationNoticeTests(ManagementControlsFixture tenant) : IClassFixture<ManagementControlsFixture>, IAsyncLifetime
{
    private const string IdTokenFeature = "Using an ID token to call the Management API v2 is deprecated. Use an access token for the audience /api/v2/ instead.";
    private readonly TenantApi _api = tenant.Api;

    public async ValueTask InitializeAsync()
    {
        await tenant.Controls.ResetAsync();
        await tenant.SetFlagAsync("enable_idtoken_api2", true);
        await tenant.SetFlagAsync("allow_legacy_unlink_endpoint", true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_feature_is_noted_once_an_hour_for_the_first_client_that_uses_it()
    {
        var since = await NewestIdAsync();
        var web = await tenant.NewSignedInUserAsync();
        var other = await tenant.Bearers.SignInAsync(Seeded.AdaGithub, clientId: ManagementTenantFixture.OtherClientId);

        (await _api.GetAsync(TenantApi.UserPath(web.Id), web.Tokens.IdToken)).IsSuccess();
        (await _api.GetAsync(TenantApi.UserPath(web.Id), web.Tokens.IdToken)).IsSuccess();
        (await _api.GetAsync(TenantApi.UserPath(other.Sub), other.IdToken)).IsSuccess(); // same hour: not noted
        var first = Assert.Single(await DepnotesSinceAsync(since));
        Assert.Equal((IdTokenFeature, web.Id, LocalTenantFixture.ClientId, "LegacyLinking"),
            (Text(first, "description"), Text(first, "user_id"), Text(first, "client_id"), Text(first, "client_name")));
        var details = first.GetProperty("details");
        Assert.Equal(("GET", "/api/v2/" + TenantApi.UserPath(web.Id)), (Text(details, "method"), Text(details, "path")?.Replace("|", "%7C")));
        Assert.Equal(IdTokenFeature, Text(details.GetProperty("feature"), "description"));

        await tenant.Controls.ResetAsync(); // the next hour
        (await _api.GetAsync(TenantApi.UserPath(other.Sub), other.IdToken)).IsSuccess();
        var notes = await DepnotesSinceAsync(since);
        Assert.Equal(2, notes.Count);
        Assert.Equal((ManagementTenantFixture.OtherClientId, "Other application", IdTokenFeature),
            (Text(notes[0], "client_id"), Text(notes[0], "client_name"), Text(notes[0], "description")));
    }

    [Fact]
    public async Task Each_feature_has_its_own_description_and_window_and_a_refused_use_is_not_noted()
    {
        var since = await NewestIdAsync();
        var user = await tenant.NewSignedInUserAsync();
        var secondary = await tenant.NewSignedInUserAsync();
        (await _api.PostAsync(TenantApi.UserPath(user.Id, "/identities"), user.Tokens.IdToken, new { link_with = secondary.Tokens.IdToken }))
            .IsSuccess(System.Net.HttpStatusCode.Created);
        var unlink = new StringContent(JsonSerializer.Serialize(new { access_token = user.Tokens.AccessToken, user_id = secondary.Id }), Encoding.UTF8, "application/json");
        (await _api.PostToTenantAsync("/unlink", unlink)).IsSuccess();

        var notes = await DepnotesSinceAsync(since);
        Assert.Equal(2, notes.Count);
        Assert.Contains("/unlink", Text(notes[0], "description"));
        Assert.Equal(IdTokenFeature, Text(notes[1], "description"));

        await tenant.Controls.ResetAsync();
        await tenant.SetFlagAsync("enable_idtoken_api2", false);
        try
        {
            (await _api.GetAsync(TenantApi.UserPath(user.Id), user.Tokens.IdToken)).IsErrorWithCode(System.Net.HttpStatusCode.Unauthorized, "invalid_token");
            Assert.Equal(2, (await DepnotesSinceAsync(since)).Count);
        }
        finally
        {
            await tenant.SetFlagAsync("enable_idtoken_api2", true);
        }
    }

    private async Task<string> NewestIdAsync() =>
        Text((await _api.GetAsync("logs?per_page=1", await tenant.ServerTokenAsync())).IsSuccess().Json[0], "log_id")!;

    /// <summary>The depnotes written after the checkpoint, newest first.</summary>
    private async Task<List<JsonElement>> DepnotesSinceAsync(string checkpoint) =>
        (await _api.GetAsync($"logs?from={checkpoint}&take=100", await tenant.ServerTokenAsync())).IsSuccess().Json
            .EnumerateArray().Where(e => Text(e, "type") == "depnote").Reverse().ToList();

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.GetString() : null;
}
