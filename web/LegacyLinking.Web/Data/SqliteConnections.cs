using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LegacyLinking.Web.Data;

/// <summary>What the app adds to a SQLite connection string it is given.</summary>
public static class SqliteConnections
{
    /// <summary>
    /// How long a statement waits for another connection's write lock before SQLite answers "busy" (the driver's default
    /// is 30 s): a page waits at most this long on a locked database before it answers 503, and the writer holds its
    /// batch and tries again. A connection string that sets its own <c>Default Timeout</c> keeps it.
    /// </summary>
    public const int BusyTimeoutSeconds = 5;

    public static string WithAppDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Default Timeout") || given.ContainsKey("Command Timeout")) return connectionString;
        return new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = BusyTimeoutSeconds }.ToString();
    }
}
