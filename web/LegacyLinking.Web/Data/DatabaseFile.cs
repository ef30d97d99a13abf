using Microsoft.Data.Sqlite;

namespace LegacyLinking.Web.Data;

/// <summary>
/// The SQLite file behind the app's database, watched for disappearing while the app runs. SQLite keeps writing into a
/// deleted file through the connections already open, and everything written is gone at the next start; so once the
/// file is gone the pooled connections are dropped, the app opens the file without creating it (a new connection
/// fails: "unable to open"), the writer keeps the records in its journal and the health check fails.
/// </summary>
public sealed class DatabaseFile
{
    private long _vanishedAtTicks;

    private DatabaseFile(string? path) => Path = path;

    /// <summary>For PostgreSQL or an in-memory SQLite database: nothing to watch.</summary>
    public static readonly DatabaseFile None = new(null);

    /// <summary>The file a SQLite connection string names; none for an in-memory database.</summary>
    public static DatabaseFile Of(string sqliteConnectionString)
    {
        var builder = new SqliteConnectionStringBuilder(sqliteConnectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
            ? None
            : new DatabaseFile(System.IO.Path.GetFullPath(builder.DataSource));
    }

    public string? Path { get; }

    /// <summary>When the file was first found missing; null while it is there.</summary>
    public DateTimeOffset? VanishedAt => Interlocked.Read(ref _vanishedAtTicks) is var ticks && ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Whether the file is missing now; the first time it is found so, notes when and drops the pooled connections.</summary>
    public bool CheckVanished(TimeProvider clock)
    {
        if (Path is null) return false;
        if (File.Exists(Path))
        {
            Interlocked.Exchange(ref _vanishedAtTicks, 0); // put back (restored from a backup): it is used again
            return false;
        }
        if (Interlocked.CompareExchange(ref _vanishedAtTicks, clock.GetUtcNow().UtcTicks, 0) == 0) SqliteConnection.ClearAllPools();
        return true;
    }

    /// <summary>Creates the (empty) file when it does not exist yet: only the start may, before migrating it.</summary>
    public void EnsureCreated()
    {
        if (Path is null || File.Exists(Path)) return;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        connection.Open();
        // As EF Core creates a SQLite database (it does not when the file exists): readers then never wait for the writer.
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = 'wal'";
        wal.ExecuteNonQuery();
    }
}
