using System.ComponentModel.DataAnnotations;
using LegacyLinking.Web.MigrationTracking;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LegacyLinking.Web.Hosting;

public enum TelemetryExporter
{
    None,
    Console,
    Otlp,
}

/// <summary>The <c>OpenTelemetry</c> section.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "OpenTelemetry";

    public TelemetryExporter Exporter { get; set; } = TelemetryExporter.None;

    /// <summary>Where OTLP goes; unset, the standard OTEL_EXPORTER_OTLP_* variables decide.</summary>
    [ConfigurationKeyName("Otlp:Endpoint")]
    public string? OtlpEndpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            yield return new ValidationResult(ConfigurationRules.Invalid($"{Section}:Otlp:Endpoint", OtlpEndpoint, "an absolute http(s) URL such as http://127.0.0.1:4317"));
    }
}

public static class TelemetrySetup
{
    /// <summary>
    /// Exports the migration metrics (meter <c>LegacyLinking.Migration</c>) and the flag-evaluation activities when
    /// <c>OpenTelemetry:Exporter</c> is <c>otlp</c> (endpoint from <c>OpenTelemetry:Otlp:Endpoint</c> or the standard
    /// OTEL_EXPORTER_OTLP_* variables) or <c>console</c>; nothing is exported by default.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.AddSettings<TelemetryOptions>(TelemetryOptions.Section);
        if (telemetry.Exporter == TelemetryExporter.None) return builder;

        var endpoint = string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint) || !Uri.TryCreate(telemetry.OtlpEndpoint, UriKind.Absolute, out var url) ? null : url;
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FlowMetrics.MeterName);
                if (telemetry.Exporter == TelemetryExporter.Console) metrics.AddConsoleExporter();
                else metrics.AddOtlpExporter(o => { if (endpoint is not null) o.Endpoint = endpoint; });
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource("Microsoft.FeatureManagement");
                if (telemetry.Exporter == TelemetryExporter.Console) tracing.AddConsoleExporter();
                else tracing.AddOtlpExporter(o => { if (endpoint is not null) o.Endpoint = endpoint; });
            });
        return builder;
    }
}
