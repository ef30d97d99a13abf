using System.Text.Json;
using LegacyLinking.Web.Linking;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>One row of "recent attempts" (what QA compares side by side).</summary>
public sealed record AttemptRow(DateTimeOffset At, string Operation, string Flow, string Reason, string Outcome, int? Status, string? ErrorCode, double DurationMs);

/// <summary>
/// Where every outcome goes: the migration record (for the report) and the last attempts of this browser session
/// (kept server-side, for QA's side-by-side view).
/// </summary>
public sealed class AttemptLog(TimeProvider clock, FlowEventRecorder recorder)
{
    private const string Key = "recent-attempts";
    private const int Keep = 20;

    public async Task RecordAsync(HttpContext http, LinkingOutcome outcome, string userId)
    {
        recorder.Record(outcome, userId);
        await http.Session.LoadAsync(http.RequestAborted);
        var rows = Read(http.Session).Prepend(new AttemptRow(
            clock.GetUtcNow(), outcome.Operation, outcome.Flow, outcome.Reason, outcome.Outcome, outcome.Status, outcome.ErrorCode,
            Math.Round(outcome.Duration.TotalMilliseconds, 1))).Take(Keep).ToList();
        http.Session.SetString(Key, JsonSerializer.Serialize(rows));
    }

    public static IReadOnlyList<AttemptRow> Read(ISession session) =>
        session.GetString(Key) is { } json ? JsonSerializer.Deserialize<List<AttemptRow>>(json) ?? [] : [];
}
