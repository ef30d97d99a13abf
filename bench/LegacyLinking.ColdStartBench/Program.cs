using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

// bench/cold-start.sh publishes a bare `dotnet new webapp` and the app (Release) and runs this:
//   LegacyLinking.ColdStartBench --bare PUBLISHED/Bare --app PUBLISHED/LegacyLinking.Web [--app NAME=OTHER/LegacyLinking.Web]
//                                [--rounds 9] [--timeline]
// Each round starts every published app once, one after the other (the order rotated every round so a load that rises
// or falls favours none), each from inside its publish folder (the content root) with fresh data files: the time from
// Process.Start to the first 200 of `/`, and for the app also to the first signed-out page that needs the tenant
// (`/Account/Login` answered with its redirect to the tenant's /authorize, followed to the tenant's login page's 200).
// One untimed start of each comes first, so all find their files in the page cache. A second --app (e.g. a build from
// before a change) is measured in the same rounds, so before and after compare under the same load.
var bare = Option("--bare") ?? throw new ArgumentException("--bare FILE: the published bare webapp's executable");
var apps = Options("--app").Select((value, index) => value.Contains('=') && !File.Exists(value)
        ? new Contender(value[..value.IndexOf('=')], value[(value.IndexOf('=') + 1)..], IsApp: true)
        : new Contender(index == 0 ? "app" : $"app{index + 1}", value, IsApp: true)).ToList();
if (apps.Count == 0) throw new ArgumentException("--app FILE: the published LegacyLinking.Web's executable");
var rounds = int.Parse(Option("--rounds") ?? "9", CultureInfo.InvariantCulture);
var timeline = args.Contains("--timeline");
var contenders = new[] { new Contender("bare", bare, IsApp: false) }.Concat(apps).ToList();

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} before the run; {rounds} rounds.");
foreach (var contender in contenders) await StartAsync(contender, print: false);

var results = new List<Dictionary<string, Start>>();
for (var round = 1; round <= rounds; round++)
{
    var starts = new Dictionary<string, Start>();
    var order = contenders.Skip(round % contenders.Count).Concat(contenders.Take(round % contenders.Count)).ToList();
    foreach (var contender in order) starts[contender.Name] = await StartAsync(contender, print: timeline && contender.IsApp);
    results.Add(starts);
    var b = starts["bare"].FirstPage;
    Console.WriteLine(Invariant($"round {round,2} (first: {order[0].Name,-6}) bare / {b,5:0} ms (cpu {starts["bare"].FirstPageCpu,5:0})") + string.Concat(apps.Select(a => Invariant(
        $" | {a.Name} / {starts[a.Name].FirstPage,5:0} ms (cpu {starts[a.Name].FirstPageCpu,5:0}), sign-in {starts[a.Name].SignInPage,5:0} ms, ratio {starts[a.Name].FirstPage / b:0.00} / {starts[a.Name].SignInPage / b:0.00}")))
        + $" | load {LoadAverage()}");
}

Console.WriteLine();
var bareMedian = Median(results.Select(r => r["bare"].FirstPage));
Console.WriteLine(Invariant($"Median over {rounds} rounds: bare / {bareMedian:0} ms, CPU time to it {Median(results.Select(r => r["bare"].FirstPageCpu)):0} ms."));
foreach (var a in apps)
{
    var first = Median(results.Select(r => r[a.Name].FirstPage));
    var signIn = Median(results.Select(r => r[a.Name].SignInPage));
    Console.WriteLine(Invariant($"{a.Name}: / {first:0} ms (CPU time to it {Median(results.Select(r => r[a.Name].FirstPageCpu)):0} ms, ratio {Median(results.Select(r => r[a.Name].FirstPageCpu / r["bare"].FirstPageCpu)):0.00}), sign-in page {signIn:0} ms; ratio to bare / (median of rounds): first 200 of / {Median(results.Select(r => r[a.Name].FirstPage / r["bare"].FirstPage)):0.00} (target ≤ 2), sign-in page {Median(results.Select(r => r[a.Name].SignInPage / r["bare"].FirstPage)):0.00}."));
}
Console.WriteLine($"Load average after the run: {LoadAverage()}.");
return 0;

async Task<Start> StartAsync(Contender contender, bool print)
{
    var (executable, isApp) = (contender.Executable, contender.IsApp);
    var folder = Path.GetDirectoryName(Path.GetFullPath(executable))!;
    var port = FreePort();
    var info = new ProcessStartInfo(Path.GetFullPath(executable))
    {
        WorkingDirectory = folder,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    // Not ASPNETCORE_URLS: the app's appsettings.json names its own Urls, which a plain variable overrides.
    info.Environment["Urls"] = $"http://127.0.0.1:{port}";
    if (isApp)
    {
        // Fresh data files: the app's database, the tenant's database, its key ring and certificate all live here.
        var data = Path.Combine(folder, "App_Data");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        var tenantPort = FreePort();
        info.Environment["LocalTenant__Enabled"] = "true";
        info.Environment["LocalTenant__Url"] = $"http://127.0.0.1:{tenantPort}";
        info.Environment["LocalTenant__Clients__0__RedirectUris__0"] = $"http://127.0.0.1:{port}/callback";
        if (print) info.Environment["LEGACYLINKING_STARTUP_TIMELINE"] = "1";
    }

    var lines = new List<(double At, string Line)>();
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
    void Collect(object? _, DataReceivedEventArgs e)
    {
        if (e.Data is null) return;
        lock (lines) lines.Add((clock.Elapsed.TotalMilliseconds, e.Data));
    }
    process.OutputDataReceived += Collect;
    process.ErrorDataReceived += Collect;
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            UseCookies = false,
        }) { Timeout = TimeSpan.FromSeconds(60) };
        var home = new Uri($"http://127.0.0.1:{port}/");
        await UntilAsync(http, home, HttpStatusCode.OK, process, lines);
        var firstPage = clock.Elapsed.TotalMilliseconds;
        var firstPageCpu = CpuMilliseconds(process);
        var signInPage = double.NaN;
        if (isApp)
        {
            var login = await UntilAsync(http, new Uri(home, "/Account/Login"), HttpStatusCode.Redirect, process, lines);
            var next = login.Headers.Location ?? throw new InvalidOperationException("/Account/Login redirected nowhere.");
            // /authorize sends a browser without a tenant session on to the tenant's login page.
            for (var hop = 0; ; hop++)
            {
                using var answer = await http.GetAsync(next);
                if (answer.StatusCode == HttpStatusCode.OK) break;
                if ((int)answer.StatusCode is < 301 or > 308 || hop > 5 || answer.Headers.Location is null)
                    throw new InvalidOperationException($"{next} answered {(int)answer.StatusCode}: {Output(lines)}");
                next = new Uri(next, answer.Headers.Location);
            }
            signInPage = clock.Elapsed.TotalMilliseconds;
        }
        if (print)
        {
            lock (lines)
                foreach (var (at, line) in lines.Where(l => !string.IsNullOrWhiteSpace(l.Line)))
                    Console.WriteLine(Invariant($"    {contender.Name} {at,7:0} ms  {line.Trim()}"));
            Console.WriteLine(Invariant($"    {firstPage,7:0} ms  first 200 of /"));
            Console.WriteLine(Invariant($"    {signInPage,7:0} ms  sign-in page (tenant) 200"));
        }
        return new Start(firstPage, signInPage, firstPageCpu);
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

// Asks until the answer is `expected`: refused connections (not listening yet) and 503s are asked again at once; any
// other answer stops the run with the process's output.
static async Task<HttpResponseMessage> UntilAsync(HttpClient http, Uri url, HttpStatusCode expected, Process process, List<(double, string)> lines)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            throw new InvalidOperationException($"{url} never answered {(int)expected}: {Output(lines)}");
        try
        {
            var response = await http.GetAsync(url);
            if (response.StatusCode == expected) return response;
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {Output(lines)}");
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(2);
    }
}

static string Output(List<(double, string Line)> lines)
{
    lock (lines) return string.Join('\n', lines.TakeLast(30).Select(l => l.Line));
}

// utime + stime from /proc/PID/stat, in clock ticks (100 a second on Linux); NaN elsewhere.
static double CpuMilliseconds(Process process)
{
    var stat = $"/proc/{process.Id}/stat";
    if (!File.Exists(stat)) return double.NaN;
    var fields = File.ReadAllText(stat);
    var after = fields[(fields.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(after[11], CultureInfo.InvariantCulture) + long.Parse(after[12], CultureInfo.InvariantCulture)) * 10.0;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

string? Option(string flag) => Options(flag).FirstOrDefault();

IEnumerable<string> Options(string flag)
{
    for (var at = 0; at + 1 < args.Length; at++)
        if (args[at] == flag) yield return args[at + 1];
}

/// <param name="FirstPageCpu">The process's CPU time (all threads) when `/` answered: what the start cost, whatever the load.</param>
internal sealed record Start(double FirstPage, double SignInPage, double FirstPageCpu);

internal sealed record Contender(string Name, string Executable, bool IsApp);
