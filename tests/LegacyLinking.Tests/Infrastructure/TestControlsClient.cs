using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// A tenant started with <c>LocalTenant:TestControls=true</c>, so tests can inject faults, mutate ID tokens, read the
/// call log and switch rate limiting through <see cref="Controls"/>.
/// </summary>
public class TestControlsTenantFixture : LocalTenantFixture
{
    public TestControlsTenantFixture() : base([new("LocalTenant:TestControls", "true")]) { }

    protected TestControlsTenantFixture(IEnumerable<KeyValuePair<string, string?>> extraSettings)
        : base([new("LocalTenant:TestControls", "true"), .. extraSettings]) { }

    public TestControlsClient Controls => new(CreateClient());
}

/// <summary>
/// Base for test classes that share one <see cref="TestControlsTenantFixture"/>: test controls are reset before and
/// after each test, so faults, mutations, rate limits and the call log never leak from one test into the next.
/// </summary>
public abstract class TestControlsTestBase(TestControlsTenantFixture tenant) : IClassFixture<TestControlsTenantFixture>, IAsyncLifetime
{
    protected TestControlsTenantFixture Tenant { get; } = tenant;

    /// <summary>A client of this test's own (cookies included), disposed after the test.</summary>
    protected HttpClient Client { get; } = tenant.CreateClient();

    public virtual async ValueTask InitializeAsync() => await Tenant.Controls.ResetAsync();

    public virtual async ValueTask DisposeAsync()
    {
        await Tenant.Controls.ResetAsync();
        Client.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The local tenant's <c>/test/*</c> routes (docs/local-tenant.md), as an app's tests call them.</summary>
public sealed class TestControlsClient(HttpClient http)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Clears faults, queued mutations, the call log and the depnote hour windows, and puts rate limiting back to
    /// configuration. JSON, as the route demands (a cross-site form cannot send it).
    /// </summary>
    public async Task ResetAsync() => await ExpectAsync(await http.PostAsJsonAsync("/test/reset", new { }, Ct), HttpStatusCode.NoContent);

    /// <summary><c>POST /test/faults</c>, e.g. <c>new { route = "GET /api/v2/users/*", status = 503, count = 2 }</c>.</summary>
    public async Task<JsonElement> AddFaultAsync(object fault) =>
        await JsonAsync(await http.PostAsJsonAsync("/test/faults", fault, Ct), HttpStatusCode.Created);

    /// <summary><c>GET /test/faults</c>: the faults still armed (one is gone once hit as often as armed).</summary>
    public async Task<IReadOnlyList<JsonElement>> FaultsAsync() =>
        [.. (await JsonAsync(await http.GetAsync("/test/faults", Ct), HttpStatusCode.OK)).EnumerateArray()];

    /// <summary><c>DELETE /test/faults</c>: disarms every fault, leaving the rest of the test controls as they are.</summary>
    public async Task ClearFaultsAsync() => await ExpectAsync(await http.DeleteAsync("/test/faults", Ct), HttpStatusCode.NoContent);

    /// <summary><c>POST /test/next</c>: the next <paramref name="count"/> ID tokens from code redemption get <paramref name="mutation"/>.</summary>
    public async Task MutateNextIdTokenAsync(string mutation, int? count = null) =>
        await JsonAsync(await http.PostAsJsonAsync("/test/next", new { mutation, count }, Ct), HttpStatusCode.Created);

    /// <summary><c>GET /test/calls</c>, oldest first, optionally only paths starting with <paramref name="pathPrefix"/>.</summary>
    /// <summary><c>POST /test/metadata</c>: a change to the discovery document or key set, on until cleared or reset.</summary>
    public async Task SetMetadataMutationAsync(string mutation) =>
        await JsonAsync(await http.PostAsJsonAsync("/test/metadata", new { mutation }, Ct), HttpStatusCode.Created);

    public async Task ClearMetadataMutationsAsync() => await ExpectAsync(await http.DeleteAsync("/test/metadata", Ct), HttpStatusCode.NoContent);

    public async Task<IReadOnlyList<JsonElement>> CallsAsync(string? pathPrefix = null)
    {
        var url = pathPrefix is null ? "/test/calls" : "/test/calls?path=" + Uri.EscapeDataString(pathPrefix);
        var json = await JsonAsync(await http.GetAsync(url, Ct), HttpStatusCode.OK);
        return [.. json.EnumerateArray()];
    }

    /// <summary><c>DELETE /test/calls</c>: empties the call log alone.</summary>
    public async Task ResetCallLogAsync() => await ExpectAsync(await http.DeleteAsync("/test/calls", Ct), HttpStatusCode.NoContent);

    /// <summary>The raw call-log JSON, for "no token material" checks.</summary>
    public Task<string> CallsTextAsync() => http.GetStringAsync("/test/calls", Ct);

    /// <summary><c>GET /test/emails</c>: the tenant's outbox, oldest first, optionally only the emails to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync(string? to = null)
    {
        var url = to is null ? "/test/emails" : "/test/emails?to=" + Uri.EscapeDataString(to);
        var json = await JsonAsync(await http.GetAsync(url, Ct), HttpStatusCode.OK);
        return [.. json.EnumerateArray()];
    }

    /// <summary>The link in the newest email to <paramref name="to"/> (a reset link carries its ticket); fails when none was sent.</summary>
    public async Task<Uri> LatestLinkAsync(string to)
    {
        var emails = await EmailsAsync(to);
        if (emails.Count == 0) throw new InvalidOperationException($"No email was sent to {to}.");
        return new Uri(emails[^1].GetProperty("link").GetString()!);
    }

    /// <summary><c>POST /test/log-events</c>: a log event the tenant would not write itself (e.g. a depnote in other words).</summary>
    public async Task WriteLogEventAsync(string type, string description, string? clientId = null, string? userId = null, DateTimeOffset? date = null) =>
        await ExpectAsync(await http.PostAsJsonAsync("/test/log-events", new { type, description, clientId, userId, date }, Ct), HttpStatusCode.NoContent);

    /// <summary><c>POST /test/rate-limit</c> (Management API) or <c>/test/rate-limit/oauth-token</c>.</summary>
    public async Task<JsonElement> SetRateLimitAsync(object policy, bool tokenEndpoint = false) =>
        await JsonAsync(await http.PostAsJsonAsync(tokenEndpoint ? "/test/rate-limit/oauth-token" : "/test/rate-limit", policy, Ct),
            HttpStatusCode.OK);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await ExpectAsync(response, expected);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode != expected)
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
            return text;
        }
    }
}
