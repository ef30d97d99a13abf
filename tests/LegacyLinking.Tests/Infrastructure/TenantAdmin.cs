using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>What an operator does in the tenant's dashboard, done over its Management API with the tests' admin client.</summary>
public static class TenantAdmin
{
    public const string IdTokenBearer = "enable_idtoken_api2";
    public const string LegacyUnlinkEndpoint = "allow_legacy_unlink_endpoint";
    public const string AuthorizeLinking = "allow_authorize_access_token_linking";

    public static async Task SetFlagAsync(LocalTenantFixture tenant, string flag, bool value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{tenant.Url}/api/v2/tenants/settings")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["flags"] = new Dictionary<string, bool> { [flag] = value } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>PATCH /api/v2/users/{id} with the given JSON body.</summary>
    public static async Task PatchUserAsync(LocalTenantFixture tenant, string userId, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{tenant.Url}/api/v2/users/{Uri.EscapeDataString(userId)}")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates a database user (POST /api/v2/users) with a fresh email and returns its user_id.</summary>
    public static async Task<string> CreateDatabaseUserAsync(LocalTenantFixture tenant, string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.Url}/api/v2/users")
        {
            Content = JsonContent.Create(new { connection = "Username-Password-Authentication", email, password, email_verified = true }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("user_id").GetString()!;
    }

    /// <summary>DELETE /api/v2/users/{id}.</summary>
    public static async Task DeleteUserAsync(LocalTenantFixture tenant, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{tenant.Url}/api/v2/users/{Uri.EscapeDataString(userId)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Rotates the seeded web client's secret, as an operator does in the dashboard (the tenant has no Management API
    /// for clients): apps still holding the old one are refused from then on. Pass the seed's secret to undo it.
    /// </summary>
    public static async Task SetClientSecretAsync(LocalTenantFixture tenant, string secret)
    {
        using var scope = tenant.Host.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        var client = await applications.FindByClientIdAsync(LocalTenantFixture.ClientId)
            ?? throw new InvalidOperationException("The seeded client is missing.");
        await applications.UpdateAsync(client, secret);
    }

    /// <summary>The user as the tenant has it now (GET /api/v2/users/{id}).</summary>
    public static async Task<JsonElement> GetUserAsync(LocalTenantFixture tenant, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{tenant.Url}/api/v2/users/{Uri.EscapeDataString(userId)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Links <paramref name="secondary"/> (<c>provider|id</c>) into <paramref name="primary"/> server-side, as a support agent would.</summary>
    public static async Task LinkAsync(LocalTenantFixture tenant, string primary, string secondary)
    {
        var parts = secondary.Split('|', 2);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.Url}/api/v2/users/{Uri.EscapeDataString(primary)}/identities")
        {
            Content = JsonContent.Create(new { provider = parts[0], user_id = parts[1] }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>Test clean-up: unlinks <paramref name="secondary"/> from <paramref name="primary"/> if it is linked.</summary>
    public static async Task EnsureUnlinkedAsync(LocalTenantFixture tenant, string primary, string secondary)
    {
        if (!(await IdentitiesOfAsync(tenant, primary)).Contains(secondary)) return;
        var parts = secondary.Split('|', 2);
        using var request = new HttpRequestMessage(HttpMethod.Delete,
            $"{tenant.Url}/api/v2/users/{Uri.EscapeDataString(primary)}/identities/{Uri.EscapeDataString(parts[0])}/{Uri.EscapeDataString(parts[1])}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The tenant's depnote log events (newest first), each as the feature its description names (classified by the
    /// app's own table, as Auth0 names a feature only in words), its user and when.
    /// </summary>
    public static async Task<List<(string? Feature, string? UserId, DateTimeOffset Date)>> DepnotesAsync(LocalTenantFixture tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{tenant.Url}/api/v2/logs?q=type:depnote&per_page=100");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TenantTokens.AdminTokenAsync(tenant));
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Select(e => ((string?)LegacyLinking.Web.MigrationTracking.DeprecationFeatures.Classify(e.TryGetProperty("description", out var d) ? d.GetString() : null),
                e.TryGetProperty("user_id", out var u) ? u.GetString() : null, e.GetProperty("date").GetDateTimeOffset()))
            .ToList();
    }

    public static async Task<string[]> IdentitiesOfAsync(LocalTenantFixture tenant, string userId) =>
        (await GetUserAsync(tenant, userId)).GetProperty("identities").EnumerateArray()
            .Select(i => $"{i.GetProperty("provider").GetString()}|{(i.GetProperty("user_id").ValueKind == JsonValueKind.Number ? i.GetProperty("user_id").GetRawText() : i.GetProperty("user_id").GetString())}")
            .ToArray();
}
