using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Profile;
using Microsoft.Extensions.DependencyInjection;

// dotnet run -c Release --project bench/LegacyLinking.ProfileLatencyBench [-- --rtt 100 --views 15]
// The tests' stack (a local tenant with its test controls, the app in-process on loopback), John signed in, then every
// request to the tenant held `rtt` ms before it is answered (the tenant's fault injection: one round trip per call).
// Three kinds of /Profile view, `views` of each, interleaved so a changing load favours none:
//   first   John's cached user dropped before the view (UserCache.ChangedAsync, as a link would): the user read and
//           the suggestions lookup go to the tenant; the app's server token is already held;
//   repeat  the same page again within Auth0:UserCacheSeconds;
//   cold    a first view on an instance that has not yet asked the tenant anything for its own account (a fresh
//           instance, signed in before the delay is armed): the server token too, if it is on the page's path.
// Each view's tenant calls come from the call log (start, duration), so a sequential chain shows as a chain.
var rtt = Option("--rtt", 100);
var views = Option("--views", 15);

await using var stack = new LatencyStack();
await stack.InitializeAsync();
var john = stack.NewBrowser();
await john.SignInAsJohnAsync();
var cache = stack.App.Services.GetRequiredService<UserCache>();

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} before the run.");
Console.WriteLine($"Tenant {rtt} ms away (every call held {rtt} ms), {views} views of each kind.");

// Without the delay: the page's own time, for reference.
var local = new List<double>();
for (var i = 0; i < views; i++)
{
    await cache.ChangedAsync(Seeded.John);
    local.Add(await ViewAsync(john));
}

await stack.Controls.AddFaultAsync(new { route = "/**", latencyMs = rtt, count = 1_000_000 });
var first = new List<double>();
var repeat = new List<double>();
var cold = new List<double>();
string? firstCalls = null, repeatCalls = null, coldCalls = null;
for (var i = 0; i < views; i++)
{
    await cache.ChangedAsync(Seeded.John);
    await stack.Controls.ResetCallLogAsync();
    first.Add(await ViewAsync(john));
    firstCalls ??= await CallChainAsync();
    await stack.Controls.ResetCallLogAsync();
    repeat.Add(await ViewAsync(john));
    repeatCalls ??= await CallChainAsync();
    if (i < Math.Min(views, 5)) // a fresh instance a sample: a few are enough
    {
        var (ms, chain) = await ColdViewAsync();
        cold.Add(ms);
        coldCalls ??= chain;
    }
}

Console.WriteLine();
Report("no delay, first view", local);
Report("first view", first);
Report("repeat view", repeat);
Report("first view, fresh instance", cold);
Console.WriteLine();
Console.WriteLine(Invariant($"First view − one round trip: {Median(first) - rtt:0} ms (median; target ≤ 30 ms). Repeat view: {Median(repeat):0} ms."));
Console.WriteLine(Invariant($"Fresh instance's first view − one round trip: {Median(cold) - rtt:0} ms (median)."));
Console.WriteLine($"Tenant calls of the first first view (start after the first call, duration):\n{firstCalls}");
Console.WriteLine($"Tenant calls of the first repeat view:\n{repeatCalls}");
Console.WriteLine($"Tenant calls of the fresh instance's first view:\n{coldCalls}");
Console.WriteLine($"Load average after the run: {LoadAverage()}.");
return 0;

async Task<double> ViewAsync(AppBrowser browser)
{
    var clock = Stopwatch.StartNew();
    using var response = await browser.Http.GetAsync("/Profile");
    await response.Content.ReadAsStringAsync();
    clock.Stop();
    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/Profile answered {(int)response.StatusCode}.");
    return clock.Elapsed.TotalMilliseconds;
}

async Task<(double, string)> ColdViewAsync()
{
    // Signed in without the delay (the sign-in is not what is measured), then the delay put back for the view.
    await stack.Controls.ResetAsync();
    await using var fresh = await stack.StartSecondInstanceAsync(
        new KeyValuePair<string, string?>("Auth0:UserCacheSeconds", "30"), new KeyValuePair<string, string?>("Migration:DepnotePollSeconds", "0"));
    var browser = stack.NewBrowser(fresh);
    await browser.SignInAsync((driver, start) => driver.ContinueAsAsync(start, Seeded.John), "/Account/Login?returnUrl=%2F");
    await stack.Controls.AddFaultAsync(new { route = "/**", latencyMs = rtt, count = 1_000_000 });
    await stack.Controls.ResetCallLogAsync();
    var ms = await ViewAsync(browser);
    return (ms, await CallChainAsync());
}

async Task<string> CallChainAsync()
{
    var calls = await stack.Controls.CallsAsync();
    if (calls.Count == 0) return "    (none)";
    var start = calls.Min(c => c.GetProperty("at").GetDateTimeOffset());
    return string.Join('\n', calls.Select(c => Invariant(
        $"    +{(c.GetProperty("at").GetDateTimeOffset() - start).TotalMilliseconds,5:0} ms  {c.GetProperty("durationMs").GetInt64(),4} ms  {c.GetProperty("method").GetString()} {Trim(c.GetProperty("path").GetString())}{Grant(c)}")));
}

static string Grant(JsonElement call) =>
    call.TryGetProperty("grantType", out var grant) && grant.ValueKind == JsonValueKind.String ? $" ({grant.GetString()})" : "";

static string? Trim(string? path) => path is { Length: > 60 } ? path[..60] + "…" : path;

static void Report(string name, List<double> values) => Console.WriteLine(Invariant(
    $"{name,-28} median {Median(values),6:0} ms   min {values.Min(),6:0}   max {values.Max(),6:0}   ({values.Count} views)"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

int Option(string flag, int fallback)
{
    var at = Array.IndexOf(args, flag);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

/// <summary>The tenant with its test controls (faults, call log); the app with the default user cache, log reader off.</summary>
internal sealed class LatencyStack : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings => [new("LocalTenant:TestControls", "true")];

    // The default user cache (the tests' apps run without it); the log reader's own calls would share the call log.
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
        [new("Auth0:UserCacheSeconds", "30"), new("Migration:DepnotePollSeconds", "0")];

    public TestControlsClient Controls => new(CreateClient());
}
