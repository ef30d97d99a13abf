using System.Diagnostics;
using System.Globalization;
using System.Net;
using LegacyLinking.Tests.Infrastructure;

// dotnet run -c Release --project bench/LegacyLinking.ProfileRateBench [-- --seconds 65 --rate 10]
// One local tenant limited to `rate` Management API calls a second (burst as large), two instances of the app on it:
// the user cache off (Auth0:UserCacheSeconds=0, every view asks the tenant) and on (the default 30 s). Each round, four
// signed-in users view their profiles in a loop (one browser each, one view at a time) for `seconds`; the rounds run
// one after the other, off first, with the bucket refilled between them. A round longer than the cache's 30 s sees each
// user's entries expire and be read again.
var seconds = Option("--seconds", 65);
var rate = Option("--rate", 10);
var users = new (string Name, Func<AppBrowser, Task> SignIn)[]
{
    ("John", b => b.SignInAsJohnAsync()),
    ("Ada", b => b.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword))),
    ("Ada (GitHub)", b => b.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub))),
    ("QA", b => b.SignInAsQaAsync()),
};

await using var stack = new RateLimitedStack(rate);
await stack.InitializeAsync();
await using var uncached = await stack.StartSecondInstanceAsync(new("Auth0:UserCacheSeconds", "0"), new("Migration:DepnotePollSeconds", "0"));

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} before the run.");
Console.WriteLine($"Tenant limit: {rate} Management API calls/s (burst {rate}); {users.Length} users, one view at a time each; {seconds} s a round.");
var off = await RoundAsync("cache off", uncached);
await Task.Delay(TimeSpan.FromSeconds(2)); // the bucket refills
var on = await RoundAsync("cache on (30 s)", stack.App);
Console.WriteLine();
Console.WriteLine($"Profile views/s, on ÷ off: {on.ViewsPerSecond / off.ViewsPerSecond:0.0}×; Management API calls per view: {off.CallsPerView:0.00} → {on.CallsPerView:0.0000}.");
Console.WriteLine($"Load average after the run: {LoadAverage()}.");
return 0;

async Task<Round> RoundAsync(string name, TestApp app)
{
    var browsers = new List<AppBrowser>();
    foreach (var (_, signIn) in users)
    {
        var browser = stack.NewBrowser(app);
        await signIn(browser);
        browsers.Add(browser);
    }
    await Task.Delay(TimeSpan.FromSeconds(1.5)); // the sign-ins' own views spent tokens: let the bucket refill
    await stack.Controls.ResetCallLogAsync();
    var ok = 0;
    var failed = 0;
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(seconds);
    var views = Task.WhenAll(browsers.Select(async browser =>
    {
        while (clock.Elapsed < end)
        {
            using var response = await browser.Http.GetAsync("/Profile");
            if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok);
            else Interlocked.Increment(ref failed);
        }
    }));
    // The call log keeps its last 1000 calls: read what is new every few seconds so none is missed.
    var counted = new CallCount();
    while (!views.IsCompleted)
    {
        await Task.WhenAny(views, Task.Delay(TimeSpan.FromSeconds(5)));
        await counted.AddNewAsync(stack.Controls);
    }
    await views;
    var elapsed = clock.Elapsed.TotalSeconds;
    await counted.AddNewAsync(stack.Controls);
    var (calls, limited) = (counted.Calls, counted.Limited);
    var round = new Round(ok, failed, calls, elapsed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-16} {ok + failed,6} views in {elapsed:0.0} s: {round.ViewsPerSecond:0.0} answered/s, {failed} failed ({round.FailedShare:P1}), {calls} Management API calls = {round.CallsPerView:0.0000} per view ({limited} of them answered 429 and retried)"));
    return round;
}

int Option(string flag, int fallback)
{
    var at = Array.IndexOf(args, flag);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

/// <summary>One round's figures: views answered 200, other answers, Management API calls the tenant logged.</summary>
internal sealed record Round(int Ok, int Failed, int Calls, double Seconds)
{
    public double ViewsPerSecond => Ok / Seconds;
    public double FailedShare => Ok + Failed == 0 ? 0 : (double)Failed / (Ok + Failed);
    public double CallsPerView => Ok + Failed == 0 ? 0 : (double)Calls / (Ok + Failed);
}

/// <summary>The tenant's logged Management API calls to <c>/api/v2/users…</c> since the round began, and those answered 429.</summary>
internal sealed class CallCount
{
    // An entry is logged once answered; the log keeps its last 1000, more than a few seconds' calls here.
    private readonly HashSet<string> _seen = [];
    public int Calls { get; private set; }
    public int Limited { get; private set; }

    public async Task AddNewAsync(TestControlsClient controls)
    {
        foreach (var call in await controls.CallsAsync("/api/v2/users"))
        {
            if (!_seen.Add(call.GetRawText())) continue;
            Calls++;
            if (call.GetProperty("status").GetInt32() == 429) Limited++;
        }
    }
}

/// <summary>The tenant with its call log and a Management API rate limit; the app (cache on, the default 30 s) on it.</summary>
internal sealed class RateLimitedStack(int rate) : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings =>
    [
        new("LocalTenant:TestControls", "true"),
        new("LocalTenant:RateLimit:Enabled", "true"),
        new("LocalTenant:RateLimit:BurstSize", rate.ToString(CultureInfo.InvariantCulture)),
        new("LocalTenant:RateLimit:TokensPerSecond", rate.ToString(CultureInfo.InvariantCulture)),
    ];

    // The log reader also spends the tenant's calls: off, so the rounds measure the profile alone.
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
        [new("Auth0:UserCacheSeconds", "30"), new("Migration:DepnotePollSeconds", "0")];

    public TestControlsClient Controls => new(CreateClient());
}
