using System.Globalization;
using System.Text.Json;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// This instance's local journal (<c>Migration:JournalPath</c>, a folder no other running instance uses). Records the
/// database cannot take are spilled into it, each spill a file of its own written to disk before the writer moves on,
/// and written to the database once it answers again (at the latest at the next start). A marker file says the app is
/// running and until when its records are safe; found at the next start, it means the app stopped without flushing,
/// and becomes a gap the migration page shows.
/// </summary>
public sealed class RecordJournal(string folder, TimeProvider clock, ILogger<RecordJournal> logger) : IDisposable
{
    /// <summary>How often the running marker is rewritten: a stop without flushing is dated to within this.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    private const string SpillPattern = "spill-*.jsonl";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private FileStream? _lock;
    private DateTime _startedAt;
    private int _pendingEvents;
    private int _pendingFiles;

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>This instance's name on the migration page: the machine and the journal it keeps.</summary>
    public string Instance { get; private set; } = "";

    /// <summary>Records waiting in the journal for the database.</summary>
    public int PendingEvents => Volatile.Read(ref _pendingEvents);

    /// <summary>Whether any journal file (records or gaps) waits for the database.</summary>
    public bool HasPending => Volatile.Read(ref _pendingFiles) > 0;

    private string MarkerPath => Path.Combine(Folder, "running.json");

    /// <summary>
    /// Takes the folder for this instance, turns a marker left by a stop without flushing into an unclean-stop gap (in
    /// the journal at once, so it survives another crash), and marks the app running.
    /// </summary>
    public void Open()
    {
        Directory.CreateDirectory(Folder);
        try
        {
            // An exclusive lock (flock on Linux) that the OS drops with the process, however it ends.
            _lock = new FileStream(Path.Combine(Folder, "instance.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"Configuration 'Migration:JournalPath' is invalid: got '{Folder}', expected a folder no other running instance of the app uses (another one holds it).");
        }
        Instance = ReadOrCreateInstanceName();
        _startedAt = clock.GetUtcNow().UtcDateTime;
        var pending = Pending();
        _pendingFiles = pending.Count;
        _pendingEvents = pending.Sum(CountEvents);
        if (ReadLeftoverMarker() is { } gap)
        {
            logger.LogWarning("The app stopped without flushing its records at about {To:O}: records from {From:O} may be missing.", gap.To, gap.From);
            Spill([], [gap]);
        }
        Beat(_startedAt);
    }

    /// <summary>The app is alive now; every record from before <paramref name="safeUntil"/> is stored or in the journal.</summary>
    public void Beat(DateTime safeUntil)
    {
        lock (_gate)
        {
            if (_lock is null) return; // closed: a late beat must not bring the marker back
            var marker = new RunningMarker(_startedAt, safeUntil, clock.GetUtcNow().UtcDateTime);
            var temporary = MarkerPath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(marker, Json));
            File.Move(temporary, MarkerPath, overwrite: true);
        }
    }

    /// <summary>Writes the records and gaps to a journal file of their own, on disk before this returns.</summary>
    public void Spill(IReadOnlyCollection<FlowEvent> events, IReadOnlyCollection<RecordGap> gaps)
    {
        if (events.Count == 0 && gaps.Count == 0) return;
        var name = $"spill-{clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.jsonl";
        var temporary = Path.Combine(Folder, name + ".tmp");
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(file))
        {
            foreach (var e in events) writer.WriteLine(JsonSerializer.Serialize(new JournalLine(e, null), Json));
            foreach (var g in gaps) writer.WriteLine(JsonSerializer.Serialize(new JournalLine(null, g), Json));
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path.Combine(Folder, name));
        Interlocked.Add(ref _pendingEvents, events.Count);
        Interlocked.Increment(ref _pendingFiles);
    }

    /// <summary>The journal files waiting for the database, oldest first (their names sort by time).</summary>
    public IReadOnlyList<string> Pending() =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, SpillPattern).Order(StringComparer.Ordinal).ToList() : [];

    public static (List<FlowEvent> Events, List<RecordGap> Gaps) Read(string file)
    {
        var events = new List<FlowEvent>();
        var gaps = new List<RecordGap>();
        foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
        {
            var entry = JsonSerializer.Deserialize<JournalLine>(line, Json);
            if (entry?.Event is { } e) events.Add(e);
            if (entry?.Gap is { } g) gaps.Add(g);
        }
        return (events, gaps);
    }

    /// <summary>The file is in the database now.</summary>
    public void Written(string file, int events)
    {
        File.Delete(file);
        Interlocked.Add(ref _pendingEvents, -events);
        Interlocked.Decrement(ref _pendingFiles);
    }

    /// <summary>The database refused the file outright: kept beside the journal (renamed) for an operator, out of the replay.</summary>
    public void SetAside(string file, int events)
    {
        File.Move(file, file + ".refused", overwrite: true);
        Interlocked.Add(ref _pendingEvents, -events);
        Interlocked.Decrement(ref _pendingFiles);
    }

    /// <summary>
    /// With <paramref name="flushed"/> (every record stored or in the journal), the marker goes: the next start finds a
    /// clean stop. Without, it stays, and the next start reports the gap. The folder is released either way.
    /// </summary>
    public void Close(bool flushed)
    {
        lock (_gate)
        {
            if (_lock is null) return;
            if (flushed) File.Delete(MarkerPath);
            _lock.Dispose();
            _lock = null;
        }
    }

    public void Dispose() => Close(flushed: false);

    private string ReadOrCreateInstanceName()
    {
        var path = Path.Combine(Folder, "instance");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } name) return name;
        name = $"{Environment.MachineName}/{Guid.NewGuid().ToString("N")[..8]}";
        File.WriteAllText(path, name);
        return name;
    }

    private RecordGap? ReadLeftoverMarker()
    {
        if (!File.Exists(MarkerPath)) return null;
        RunningMarker? marker = null;
        try
        {
            marker = JsonSerializer.Deserialize<RunningMarker>(File.ReadAllText(MarkerPath), Json);
        }
        catch (JsonException)
        {
            // Torn by the stop itself: dated by the file instead.
        }
        var lastWrite = File.GetLastWriteTimeUtc(MarkerPath);
        return new RecordGap
        {
            Kind = RecordGapKinds.UncleanStop,
            From = marker?.SafeUntil ?? lastWrite,
            // Alive at its last heartbeat; it may have recorded until just before the next one, which a busy machine
            // delays (by up to a second seen under load): the gap rather ends too late than leave a loss outside it.
            To = (marker?.AliveAt ?? lastWrite) + 2 * Heartbeat,
            Instance = Instance,
            DetectedAt = clock.GetUtcNow().UtcDateTime,
        };
    }

    private static int CountEvents(string file) => File.ReadLines(file).Count(l => l.StartsWith("{\"event\":{", StringComparison.Ordinal));

    private sealed record RunningMarker(DateTime StartedAt, DateTime SafeUntil, DateTime AliveAt);

    private sealed record JournalLine(FlowEvent? Event, RecordGap? Gap);
}
