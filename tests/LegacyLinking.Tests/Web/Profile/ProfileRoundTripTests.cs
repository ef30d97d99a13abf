using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Profile;

/// <summary>
/// With the tenant far away, the first profile view costs one round trip to it: the user read and the suggestions
/// lookup side by side, and nothing before them — the app's server token was minted as the instance started, not on
/// the first page that needs it.
/// </summary>
public sealed class ProfileRoundTripTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const int Latency = 300;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync() => await stack.Controls.ResetAsync();

    [Fact]
    public async Task A_fresh_instances_first_profile_view_makes_its_tenant_calls_in_one_round_trip()
    {
        // The log reader off: it would mint the token at start too, and this is about the pages' own path.
        await using var fresh = await stack.StartSecondInstanceAsync(new KeyValuePair<string, string?>("Migration:DepnotePollSeconds", "0"));
        var tokens = fresh.Services.GetRequiredService<ManagementTokenCache>();
        var started = Stopwatch.StartNew();
        while (tokens.MintCount == 0 && started.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50, Ct);
        var john = stack.NewBrowser(fresh);
        await john.SignInAsync((driver, start) => driver.ContinueAsAsync(start, Seeded.John), "/Account/Login?returnUrl=%2F");

        await stack.Controls.AddFaultAsync(new { route = "/**", latencyMs = Latency, count = 100 });
        await stack.Controls.ResetCallLogAsync();
        var (response, _) = await john.GetPageAsync("/Profile");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The stack's first instance reads the tenant's log in the background; that is no call of this page's.
        var calls = (await stack.Controls.CallsAsync()).Where(c => Text(c, "path") is not { } path || !path.StartsWith("/api/v2/logs", StringComparison.Ordinal)).ToList();
        var described = string.Join("; ", calls.Select(Describe));
        Assert.Contains(calls, c => Text(c, "path") == $"/api/v2/users/{Seeded.John}");
        Assert.Contains(calls, c => Text(c, "path") == "/api/v2/users-by-email");
        // Each call is held Latency ms: one that starts after another has ended was waiting for it.
        foreach (var call in calls)
            Assert.All(calls, other => Assert.True(Start(other) < End(call), $"A tenant call waited for another: {described}"));
    }

    private static DateTimeOffset Start(JsonElement call) => call.GetProperty("at").GetDateTimeOffset();

    private static DateTimeOffset End(JsonElement call) => Start(call).AddMilliseconds(call.GetProperty("durationMs").GetInt64());

    private static string? Text(JsonElement call, string name) =>
        call.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(JsonElement call) =>
        $"{Text(call, "method")} {Text(call, "path")} {Text(call, "grantType")} at {Start(call):HH:mm:ss.fff} for {call.GetProperty("durationMs").GetInt64()} ms";
}
