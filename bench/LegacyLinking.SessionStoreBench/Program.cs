using System.Diagnostics;
using System.Globalization;
using System.Net;
using LegacyLinking.Tests.Infrastructure;

// dotnet run -c Release --project bench/LegacyLinking.SessionStoreBench [-- --seconds 15 --rounds 6 --clients 8]
// One throwaway PostgreSQL cluster, one local tenant, two instances of the app on the same PostgreSQL database (both
// `Database:Provider=Postgres`): sessions in the database (`Sessions:Store=Database`) and in memory (the default).
// `clients` browsers per instance, each signed in once, request `/` in a loop (one request at a time each). Rounds
// alternate between the instances (memory, database, database, memory, ...), `seconds` each, so both see the same
// machine load; the ratio is database ÷ memory over all rounds.
var seconds = Option("--seconds", 15);
var rounds = Option("--rounds", 6);
var clients = Option("--clients", 8);

await using var cluster = await PostgresCluster.StartAsync();
var database = await cluster.CreateDatabaseAsync("sessionbench");
await using var stack = new PostgresStack(database);
await stack.InitializeAsync();
await using var inMemory = await stack.StartSecondInstanceAsync(new KeyValuePair<string, string?>("Sessions:Store", "Memory"));

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} before the run; PostgreSQL {cluster.Version}.");
Console.WriteLine($"{clients} signed-in browsers per instance, one request to / at a time each; {rounds} rounds of {seconds} s per instance, alternating.");
var onMemory = await SignInAsync(inMemory);
var onDatabase = await SignInAsync(stack.App);
await RoundAsync("warm-up, memory", onMemory, 3, print: false);
await RoundAsync("warm-up, database", onDatabase, 3, print: false);

var totals = new Dictionary<string, (long Ok, double Seconds)> { ["memory"] = (0, 0), ["database"] = (0, 0) };
for (var round = 1; round <= rounds; round++)
{
    // Memory first in odd rounds, the database first in even ones: a load that rises or falls over the run favours neither.
    var pair = new[] { ("memory", onMemory), ("database", onDatabase) };
    foreach (var (store, browsers) in round % 2 == 1 ? pair : pair.Reverse())
    {
        var (ok, elapsed) = await RoundAsync($"round {round}, {store}", browsers, seconds, print: true);
        totals[store] = (totals[store].Ok + ok, totals[store].Seconds + elapsed);
    }
}
var memoryRate = totals["memory"].Ok / totals["memory"].Seconds;
var databaseRate = totals["database"].Ok / totals["database"].Seconds;
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"/ signed in: memory store {memoryRate:0} req/s, database store (PostgreSQL) {databaseRate:0} req/s; database ÷ memory = {databaseRate / memoryRate:0.00}."));
Console.WriteLine($"Load average after the run: {LoadAverage()}.");
return 0;

async Task<List<AppBrowser>> SignInAsync(TestApp app)
{
    var browsers = new List<AppBrowser>();
    for (var i = 0; i < clients; i++)
    {
        var browser = stack.NewBrowser(app);
        await browser.SignInAsJohnAsync();
        browsers.Add(browser);
    }
    return browsers;
}

async Task<(long Ok, double Seconds)> RoundAsync(string name, List<AppBrowser> browsers, int length, bool print)
{
    long ok = 0, failed = 0;
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(length);
    await Task.WhenAll(browsers.Select(async browser =>
    {
        while (clock.Elapsed < end)
        {
            using var response = await browser.Http.GetAsync("/");
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok);
            else Interlocked.Increment(ref failed);
        }
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    if (failed > 0) throw new InvalidOperationException($"{name}: {failed} requests were not answered 200 (a session lost?).");
    if (print) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {ok,7} requests in {elapsed:0.0} s: {ok / elapsed,7:0} req/s"));
    return (ok, elapsed);
}

int Option(string flag, int fallback)
{
    var at = Array.IndexOf(args, flag);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

/// <summary>The app on PostgreSQL with its sessions there; quiet logs (a log line per query would be the benchmark).</summary>
internal sealed class PostgresStack(string connectionString) : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
    [
        new("Database:Provider", "Postgres"),
        new("ConnectionStrings:LegacyLinking", connectionString),
        new("Sessions:Store", "Database"),
        new("Migration:DepnotePollSeconds", "0"),
        new("Logging:LogLevel:Default", "Warning"),
    ];
}
