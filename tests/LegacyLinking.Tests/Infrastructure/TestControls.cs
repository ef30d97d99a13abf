using System.Net.Http.Json;
using System.Text.Json;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>The local tenant's test-control routes (docs/local-tenant.md), on when <c>LocalTenant:TestControls</c> is true.</summary>
public static class TestControls
{
    public static async Task MutateNextIdTokenAsync(LocalTenantFixture tenant, string mutation)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync($"{tenant.Url}/test/next", new { mutation, count = 1 });
        response.EnsureSuccessStatusCode();
    }

    public static async Task InjectFaultAsync(LocalTenantFixture tenant, object fault)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync($"{tenant.Url}/test/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public static async Task SetRateLimitAsync(LocalTenantFixture tenant, object limits)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync($"{tenant.Url}/test/rate-limit", limits);
        response.EnsureSuccessStatusCode();
    }

    public static async Task ResetAsync(LocalTenantFixture tenant)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{tenant.Url}/test/reset", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The tenant's call log (never token values), optionally narrowed by path prefix and method.</summary>
    public static async Task<JsonElement[]> CallsAsync(LocalTenantFixture tenant, string? path = null, string? method = null)
    {
        using var http = new HttpClient();
        var query = new List<string>();
        if (path is not null) query.Add("path=" + Uri.EscapeDataString(path));
        if (method is not null) query.Add("method=" + method);
        var json = await http.GetStringAsync($"{tenant.Url}/test/calls" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        var root = JsonDocument.Parse(json).RootElement;
        var calls = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("calls");
        return calls.EnumerateArray().Select(c => c.Clone()).ToArray();
    }
}

/// <summary>The app and a tenant with its test controls on.</summary>
public sealed class AppStackWithTestControls : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings => [new("LocalTenant:TestControls", "true")];
}
