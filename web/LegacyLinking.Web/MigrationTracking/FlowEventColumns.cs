using System.Data;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>
/// One column of the migration record: the <see cref="FlowEvent"/> property (and database column) it is, its type for
/// the writer's NULLs, its length limit in the schema, and its name in the exports (null: not exported).
/// </summary>
public sealed record FlowEventColumn(string Property, DbType Type, Func<FlowEvent, object?> Read, string? Export, int? MaxLength = null)
{
    /// <summary>The database numbers the rows; the writer never sends this column.</summary>
    public bool Generated { get; init; }
}

/// <summary>
/// The migration record's columns, described once: the entity mapping (lengths), the writer's multi-row insert (column
/// list, types, values) and the exports (CSV header and cells, JSON fields) are all read from this table. A new column
/// is its <see cref="FlowEvent"/> property, its row here, where its value comes from (the outcome and the recorder's
/// mapping), and the generated migrations.
/// </summary>
public static class FlowEventColumns
{
    public const string Table = "flow_events";

    public static readonly IReadOnlyList<FlowEventColumn> All =
    [
        new(nameof(FlowEvent.Id), DbType.Int64, e => e.Id, "id") { Generated = true },
        new(nameof(FlowEvent.At), DbType.DateTime, e => e.At, "at"),
        new(nameof(FlowEvent.Operation), DbType.String, e => e.Operation, "operation", 8),
        new(nameof(FlowEvent.Flow), DbType.String, e => e.Flow, "flow", 32),
        new(nameof(FlowEvent.Reason), DbType.String, e => e.Reason, "reason", 32),
        new(nameof(FlowEvent.Outcome), DbType.String, e => e.Outcome, "outcome", 16),
        new(nameof(FlowEvent.Status), DbType.Int32, e => e.Status, "status"),
        new(nameof(FlowEvent.ErrorCode), DbType.String, e => e.ErrorCode, "errorCode", 64),
        new(nameof(FlowEvent.DurationMs), DbType.Double, e => e.DurationMs, "durationMs"),
        new(nameof(FlowEvent.UserId), DbType.String, e => e.UserId, "userId", 256),
        // Internal: the writer's number for the user (the events' user index), never exported.
        new(nameof(FlowEvent.UserKey), DbType.Int32, e => e.UserKey, null),
        new(nameof(FlowEvent.Shadow), DbType.String, e => e.Shadow, "shadow", 128),
        new(nameof(FlowEvent.TraceId), DbType.String, e => e.TraceId, "traceId", 32),
    ];

    /// <summary>What the writer sends, in this order.</summary>
    public static readonly IReadOnlyList<FlowEventColumn> Inserted = All.Where(c => !c.Generated).ToList();

    /// <summary>What the exports carry, in this order.</summary>
    public static readonly IReadOnlyList<FlowEventColumn> Exported = All.Where(c => c.Export is not null).ToList();

    /// <summary><c>INSERT INTO "flow_events" ("At", …)</c> for <see cref="MultiRowInsert"/>.</summary>
    public static readonly string Insert = $"INSERT INTO \"{Table}\" ({string.Join(", ", Inserted.Select(c => $"\"{c.Property}\""))})";

    public static readonly DbType[] InsertTypes = Inserted.Select(c => c.Type).ToArray();

    /// <summary>One event's values for <see cref="Insert"/>.</summary>
    public static object?[] InsertValues(FlowEvent e)
    {
        var values = new object?[Inserted.Count];
        for (var i = 0; i < values.Length; i++) values[i] = Inserted[i].Read(e);
        return values;
    }
}
