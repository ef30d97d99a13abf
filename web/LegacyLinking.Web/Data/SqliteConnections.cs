using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LegacyLinking.Web.Data;

/// <summary>What the app adds to a SQLite connection string it is given (a setting the string makes itself is kept).</summary>
public static class SqliteConnections
{
    /// <summary>
    /// How long a statement waits for another connection's write lock before SQLite answers "busy" (the driver's default
    /// is 30 s): a page waits at most this long on a locked database before it answers 503, and the writer puts its
    /// batch in the journal.
    /// </summary>
    public const int BusyTimeoutSeconds = 5;

    /// <summary>
    /// The busy timeout above, and <c>Mode=ReadWrite</c>: a file deleted while the app runs is not silently created
    /// again, empty, by the next connection (<see cref="DatabaseFile.EnsureCreated"/> creates it at start).
    /// </summary>
    public static string WithAppDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Default Timeout") && !given.ContainsKey("Command Timeout")) builder.DefaultTimeout = BusyTimeoutSeconds;
        if (!given.ContainsKey("Mode") && builder.DataSource is not ("" or ":memory:")) builder.Mode = SqliteOpenMode.ReadWrite;
        return builder.ToString();
    }
}
