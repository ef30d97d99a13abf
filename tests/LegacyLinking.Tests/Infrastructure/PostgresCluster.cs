using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of this machine's own binaries: <c>initdb</c> into a folder (a fresh temp folder by
/// default), <c>postgres</c> listening on 127.0.0.1 on a free port with its socket in that folder, tuned for speed
/// (no fsync: the data is disposable). Disposing stops the server and deletes a temp folder.
/// PostgreSQL refuses to run as root, so as root (CI) initdb and the server run as the <c>postgres</c> OS user (the
/// one Debian's package creates; <c>nobody</c> when there is none) through <c>runuser</c>.
/// Also linked into bench/LegacyLinking.Bench, which keeps a seeded cluster in a folder of its own between runs.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Where to look besides <c>PATH</c> (newest version first within each pattern).</summary>
    private static readonly string[] BinPatterns = ["/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql@*/bin"];

    /// <summary>Settings for a disposable cluster; everything else is initdb's default.</summary>
    private static readonly string[] FastSettings =
    [
        "listen_addresses = '127.0.0.1'",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "max_connections = 200",
        "log_min_messages = warning",
    ];

    private readonly string _binDirectory;
    private readonly string? _runAs;
    private readonly bool _deleteFolder;
    private bool _running;

    private PostgresCluster(string folder, string binDirectory, string? runAs, bool deleteFolder)
    {
        Folder = folder;
        _binDirectory = binDirectory;
        _runAs = runAs;
        _deleteFolder = deleteFolder;
    }

    /// <summary>The cluster's folder: <c>data/</c>, the server log and the Unix socket.</summary>
    public string Folder { get; }
    public string DataDirectory => Path.Combine(Folder, "data");
    public string LogPath => Path.Combine(Folder, "postgres.log");
    public int Port { get; private set; }

    /// <summary>The server's version, e.g. <c>15</c> (from the data folder).</summary>
    public string Version => File.ReadAllText(Path.Combine(DataDirectory, "PG_VERSION")).Trim();

    /// <summary>A connection string for <paramref name="database"/> as the superuser (trust authentication on loopback).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>
    /// Starts a cluster. With no <paramref name="folder"/>: a fresh temp folder, deleted on dispose. With one: a cluster
    /// already initialised there is started again (its data kept), otherwise one is created there; the folder stays.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(string? folder = null, IEnumerable<string>? extraSettings = null, CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found on PATH nor under " + string.Join(", ", BinPatterns)
            + ". Install them (Debian: apt-get install postgresql; scripts/install-prerequisites.sh does it).");
        var runAs = Environment.IsPrivilegedProcess ? await UnprivilegedUserAsync(cancellationToken) : null;
        var deleteFolder = folder is null;
        folder ??= Directory.CreateTempSubdirectory("ll-pg-").FullName;
        Directory.CreateDirectory(folder);
        var cluster = new PostgresCluster(Path.GetFullPath(folder), binDirectory, runAs, deleteFolder);
        try
        {
            if (!File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")))
                await cluster.InitAsync(extraSettings ?? [], cancellationToken);
            await cluster.StartServerAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database (owned by the superuser) and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>The folder holding initdb, pg_ctl and postgres: PATH first (links resolved), then the usual install places.</summary>
    public static string? FindBinDirectory()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "initdb"))
            .Where(File.Exists)
            .Select(initdb => Path.GetDirectoryName(File.ResolveLinkTarget(initdb, returnFinalTarget: true)?.FullName ?? initdb)!);
        var installed = BinPatterns.SelectMany(pattern =>
        {
            var parent = Path.GetDirectoryName(Path.GetDirectoryName(pattern))!;
            var namePattern = Path.GetFileName(Path.GetDirectoryName(pattern))!;
            if (!Directory.Exists(parent)) return [];
            return Directory.GetDirectories(parent, namePattern)
                .OrderByDescending(d => VersionOf(Path.GetFileName(d)))
                .Select(d => Path.Combine(d, Path.GetFileName(pattern)));
        });
        return fromPath.Concat(installed).FirstOrDefault(d => new[] { "initdb", "pg_ctl", "postgres" }.All(tool => File.Exists(Path.Combine(d, tool))));
    }

    private static double VersionOf(string name) =>
        double.TryParse(new string(name.Where(c => char.IsDigit(c) || c == '.').ToArray()), CultureInfo.InvariantCulture, out var version) ? version : 0;

    private static async Task<string> UnprivilegedUserAsync(CancellationToken cancellationToken)
    {
        foreach (var user in new[] { "postgres", "nobody" })
            if ((await RunAsync("id", ["-u", user], cancellationToken)).ExitCode == 0) return user;
        throw new InvalidOperationException("Running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as.");
    }

    private async Task InitAsync(IEnumerable<string> extraSettings, CancellationToken cancellationToken)
    {
        if (_runAs is not null) await RequireAsync("chown", ["-R", _runAs, Folder], cancellationToken);
        await RunToolAsync("initdb", ["-D", DataDirectory, "--username=postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"], cancellationToken);
        // Appended to postgresql.conf (later lines win); the port is given at each start.
        await File.AppendAllLinesAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            [.. FastSettings, $"unix_socket_directories = '{Folder}'", .. extraSettings], cancellationToken);
    }

    /// <summary>
    /// Stops the server as an outage would (connected clients are cut off; the data stays), until
    /// <see cref="StartAgainAsync"/> brings it back on the same port.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await RunToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"], cancellationToken);
        _running = false;
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again, on the same port (its clients reconnect by themselves).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        await RunToolAsync("pg_ctl", ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", LogPath, "-o", $"-p {Port}"], cancellationToken);
        _running = true;
    }

    /// <summary>Starts the server on a free loopback port, trying other ports when one is taken meanwhile.</summary>
    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        // A kept cluster whose last user crashed may still run: stop it rather than fail on its lock file.
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            await RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var start = await RunAsync(Tool("pg_ctl"), ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", LogPath, "-o", $"-p {Port}"], cancellationToken);
            if (start.ExitCode == 0)
            {
                _running = true;
                AppDomain.CurrentDomain.ProcessExit += StopOnExit;
                return;
            }
            var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath, cancellationToken) : "";
            if (attempt < 5 && log.Contains("could not bind", StringComparison.Ordinal)) continue;
            throw new InvalidOperationException($"PostgreSQL did not start (pg_ctl exit {start.ExitCode}): {start.Output}\n{log}");
        }
    }

    /// <summary>A test run that is killed still stops its server (a normal run stops it on dispose).</summary>
    private void StopOnExit(object? sender, EventArgs e)
    {
        if (_running) RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], CancellationToken.None).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        NpgsqlConnection.ClearAllPools();
        if (_running)
        {
            // A kept cluster is stopped cleanly (no recovery at its next start); a throwaway one at once.
            await RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", _deleteFolder ? "immediate" : "fast", "-w"], CancellationToken.None);
            _running = false;
        }
        if (_deleteFolder)
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    private async Task RunToolAsync(string name, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(Tool(name), arguments, cancellationToken);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{name} failed (exit {result.ExitCode}): {result.Output}");
    }

    private static async Task RequireAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(file, arguments, cancellationToken, runAs: null);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{file} failed (exit {result.ExitCode}): {result.Output}");
    }

    private Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, CancellationToken cancellationToken) =>
        RunAsync(file, arguments, cancellationToken, _runAs);

    /// <summary>Runs a program to its end (as <paramref name="runAs"/> through runuser when given); answers its exit code and output.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, CancellationToken cancellationToken, string? runAs = null)
    {
        var start = new ProcessStartInfo(runAs is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAs is not null)
            foreach (var argument in new[] { "-u", runAs, "--", file }) start.ArgumentList.Add(argument);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The server's own messages in English whatever the machine's locale, and no inherited PG* settings.
        start.Environment["LC_MESSAGES"] = "C";
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.StandardInput.Close();
        // pg_ctl's server inherits no pipe (it logs to a file), so reading to the end finishes when pg_ctl does.
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await output + await error).Trim());
    }
}
