using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LegacyLinking.Web.Data;

/// <summary>
/// Tells "the database is not there right now" (stopped, unreachable, locked, its file gone or unwritable) from a
/// bug or bad data. The first is answered with a 503 page and waited out; the second stays an error.
/// </summary>
public static class DatabaseFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the file is locked by
    // someone else, read-only, on a failing or full disk, or missing. Microsoft.Data.Sqlite marks none as transient.
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 8, 10, 13, 14];

    public static bool IsUnavailable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when SqliteUnavailable.Contains(sqlite.SqliteErrorCode):
                    return true;
                // Npgsql marks connection failures, timeouts, server shutdowns (57P01…) and "too many connections" as transient.
                case DbException { IsTransient: true }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }
}
