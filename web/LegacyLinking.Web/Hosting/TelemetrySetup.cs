using LegacyLinking.Web.MigrationTracking;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LegacyLinking.Web.Hosting;

public static class TelemetrySetup
{
    /// <summary>
    /// Exports the migration metrics (meter <c>LegacyLinking.Migration</c>) and the flag-evaluation activities when
    /// <c>OpenTelemetry:Exporter</c> is <c>otlp</c> (endpoint from <c>OpenTelemetry:Otlp:Endpoint</c> or the standard
    /// OTEL_EXPORTER_OTLP_* variables) or <c>console</c>; nothing is exported by default.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var exporter = ConfigurationRules.OneOf(builder.Configuration, "OpenTelemetry:Exporter", "none", "console", "otlp");
        if (exporter == "none") return builder;

        var endpoint = builder.Configuration["OpenTelemetry:Otlp:Endpoint"];
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FlowMetrics.MeterName);
                if (exporter == "console") metrics.AddConsoleExporter();
                else metrics.AddOtlpExporter(o => { if (endpoint is not null) o.Endpoint = new Uri(endpoint); });
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource("Microsoft.FeatureManagement");
                if (exporter == "console") tracing.AddConsoleExporter();
                else tracing.AddOtlpExporter(o => { if (endpoint is not null) o.Endpoint = new Uri(endpoint); });
            });
        return builder;
    }
}
