using System.Data;
using System.Data.Common;
using System.Text;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// <c>INSERT INTO t (…) VALUES (…)[, (…), …] [ON CONFLICT …]</c> on the context's connection and transaction, without
/// EF Core's per-entity tracking (the writer's rate depends on it). PostgreSQL gets a few hundred parameters per
/// statement (one round trip for many rows). SQLite runs in-process, so it gets one row per statement, prepared once
/// and re-run: Microsoft.Data.Sqlite looks each parameter up by name in the statement, so a wide statement costs more
/// per row, not less (the writer's inserts took 18 µs an event with 20 rows a statement, 8 µs with one).
/// </summary>
public static class MultiRowInsert
{
    private const int MaxParameters = 240;

    /// <param name="insert"><c>INSERT INTO "t" ("A", "B")</c></param>
    /// <param name="types">Each column's type for its NULLs (PostgreSQL types a VALUES list from its rows); other values keep their own.</param>
    /// <param name="onConflict">An <c>ON CONFLICT …</c> clause, or empty.</param>
    public static async Task ExecuteAsync(AppDbContext db, string insert, DbType[] types, IReadOnlyList<object?[]> rows, string onConflict, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var rowsPerStatement = db.Database.IsSqlite() ? 1 : Math.Max(1, MaxParameters / types.Length);
        DbCommand? full = null, rest = null;
        try
        {
            for (var start = 0; start < rows.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, rows.Count - start);
                // Full-width statements reuse one command (SQLite keeps it prepared); only the values change.
                var command = count == rowsPerStatement
                    ? full ??= Create(db, insert, types, count, onConflict)
                    : rest = Create(db, insert, types, count, onConflict);
                for (var row = 0; row < count; row++)
                {
                    var values = rows[start + row];
                    for (var column = 0; column < types.Length; column++)
                    {
                        var parameter = command.Parameters[row * types.Length + column];
                        // A UTC DateTime is timestamptz to Npgsql (DbType.DateTime would say timestamp), TEXT to SQLite as EF writes it.
                        if (values[column] is { } value) parameter.Value = value;
                        else (parameter.DbType, parameter.Value) = (types[column], DBNull.Value);
                    }
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
            if (rest is not null) await rest.DisposeAsync();
        }
    }

    private static DbCommand Create(AppDbContext db, string insert, DbType[] types, int rows, string onConflict)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new StringBuilder(insert).Append(" VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < types.Length; column++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{row * types.Length + column}";
                command.Parameters.Add(parameter);
                sql.Append(column == 0 ? "" : ", ").Append(parameter.ParameterName);
            }
            sql.Append(')');
        }
        command.CommandText = sql.Append(' ').Append(onConflict).ToString();
        return command;
    }
}
