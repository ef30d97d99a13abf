using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.Management;

/// <summary>The Management API tenant plus a GitHub user whose provider sent a mixed-case email.</summary>
public sealed class MixedCaseEmailFixture : ManagementTenantFixture
{
    public const string GitHubId = "github|7654321";
    public const string GitHubEmail = "Grace.Hopper@Example.COM";

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        .. base.ExtraSettings,
        new("LocalTenant:Seed:Users:6:UserId", GitHubId),
        new("LocalTenant:Seed:Users:6:Email", GitHubEmail),
        new("LocalTenant:Seed:Users:6:EmailVerified", "true"),
        new("LocalTenant:Seed:Users:6:Name", "Grace Hopper"),
    ];
}

/// <summary>
/// Emails as Auth0 keeps them: lower-cased where Auth0 is the identity provider (database, passwordless), as sent by
/// the provider otherwise; <c>users-by-email</c> matches the stored form exactly ("search using the correct case"),
/// user search matches email in any case.
/// </summary>
public sealed class EmailCaseTests(MixedCaseEmailFixture tenant) : IClassFixture<MixedCaseEmailFixture>
{
    private readonly TenantApi _api = tenant.Api;

    [Fact]
    public async Task A_database_users_email_is_stored_lower_case_and_found_only_in_that_case()
    {
        var local = $"Mixed.Case.{Guid.NewGuid():N}";
        var id = await tenant.CreateDatabaseUserAsync($"{local}@Example.com");
        Assert.Equal($"{local.ToLowerInvariant()}@example.com", (await UserAsync(id)).GetProperty("email").GetString());

        Assert.Empty(await ByEmailAsync($"{local}@Example.com"));
        Assert.Equal([id], await ByEmailAsync($"{local.ToLowerInvariant()}@example.com"));
        Assert.Empty(await ByEmailAsync("ADA@Example.COM"));

        (await _api.PatchAsync(TenantApi.UserPath(id), await tenant.ServerTokenAsync(), new { email = $"Changed.{local}@Example.com" })).IsSuccess();
        Assert.Equal($"changed.{local.ToLowerInvariant()}@example.com", (await UserAsync(id)).GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_social_users_email_keeps_the_providers_case_and_is_found_only_in_that_case()
    {
        Assert.Equal(MixedCaseEmailFixture.GitHubEmail, (await UserAsync(MixedCaseEmailFixture.GitHubId)).GetProperty("email").GetString());
        Assert.Equal([MixedCaseEmailFixture.GitHubId], await ByEmailAsync(MixedCaseEmailFixture.GitHubEmail));
        Assert.Empty(await ByEmailAsync(MixedCaseEmailFixture.GitHubEmail.ToLowerInvariant()));
    }

    [Fact]
    public async Task User_search_matches_email_in_any_case()
    {
        var q = Uri.EscapeDataString($"email:\"{MixedCaseEmailFixture.GitHubEmail.ToLowerInvariant()}\"");
        var users = (await _api.GetAsync($"users?q={q}&search_engine=v3", await tenant.ServerTokenAsync())).IsSuccess().Json;
        Assert.Equal([MixedCaseEmailFixture.GitHubId], users.EnumerateArray().Select(u => u.GetProperty("user_id").GetString()));
    }

    private async Task<System.Text.Json.JsonElement> UserAsync(string id) =>
        (await _api.GetAsync(TenantApi.UserPath(id), await tenant.ServerTokenAsync())).IsSuccess().Json;

    private async Task<List<string?>> ByEmailAsync(string email) =>
        (await _api.GetAsync($"users-by-email?email={Uri.EscapeDataString(email)}", await tenant.ServerTokenAsync())).IsSuccess()
            .Json.EnumerateArray().Select(u => u.GetProperty("user_id").GetString()).ToList();
}
