using System.Data.Common;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The migration record read straight from an app's database (SQLite or PostgreSQL), as an operator would after the
/// app stopped: no app needed, nothing cached.
/// </summary>
public static class RecordDatabase
{
    /// <summary>John's stored profile views (suggestion lookups, one per view), optionally only those before a time.</summary>
    public static async Task<long> CountViewsAsync(DbConnection connection, DateTime? before = null, CancellationToken cancellationToken = default)
    {
        await using (connection)
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """SELECT COUNT(*) FROM "flow_events" WHERE "Operation" = 'suggest' AND "UserId" = @user""" + (before is null ? "" : """ AND "At" < @before""");
            Add(command, "@user", Seeded.John);
            if (before is { } at) Add(command, "@before", connection is Microsoft.Data.Sqlite.SqliteConnection ? at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF") : at);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        }
    }

    /// <summary>The gaps the app stored in its record (kind, from, to; UTC).</summary>
    public static async Task<List<(string Kind, DateTime From, DateTime To)>> GapsAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        await using (connection)
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """SELECT "Kind", "From", "To" FROM "record_gaps" """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var gaps = new List<(string, DateTime, DateTime)>();
            while (await reader.ReadAsync(cancellationToken))
                gaps.Add((reader.GetString(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)));
            return gaps;
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
