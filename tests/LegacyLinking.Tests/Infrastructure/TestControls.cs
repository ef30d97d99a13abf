using System.Text.Json;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>The app and a tenant with its test controls on (docs/local-tenant.md); derive to add settings to either.</summary>
public class AppStackWithTestControls : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings => [new("LocalTenant:TestControls", "true")];

    public TestControlsClient Controls => new(CreateClient());

    /// <summary>The tenant's call log for one method under a path prefix (never token values).</summary>
    public async Task<JsonElement[]> CallsAsync(string pathPrefix, string method) =>
        (await Controls.CallsAsync(pathPrefix)).Where(c => c.GetProperty("method").GetString() == method).ToArray();
}
