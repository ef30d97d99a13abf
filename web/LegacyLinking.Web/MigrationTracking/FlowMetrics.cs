using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LegacyLinking.Web.MigrationTracking;

/// <summary>OpenTelemetry-ready metrics per operation, flow and outcome (meter <c>LegacyLinking.Migration</c>).</summary>
public static class FlowMetrics
{
    public const string MeterName = "LegacyLinking.Migration";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("legacylinking.flow.requests", description: "Link, unlink and suggestion requests");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("legacylinking.flow.duration", "ms", "Time spent in the flow");

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("legacylinking.recorder.batch.duration", "ms", "Time the background writer took to store one batch of records");

    public static void ObserveBatch(TimeSpan duration) => BatchDuration.Record(duration.TotalMilliseconds);

    public static void Observe(FlowEvent e)
    {
        var tags = new TagList { { "operation", e.Operation }, { "flow", e.Flow }, { "outcome", e.Outcome } };
        Requests.Add(1, tags);
        Duration.Record(e.DurationMs, tags);
    }
}
