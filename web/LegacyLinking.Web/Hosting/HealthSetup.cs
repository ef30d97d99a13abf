using LegacyLinking.Web.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LegacyLinking.Web.Hosting;

public static class HealthSetup
{
    public const string Ready = "ready";

    /// <summary>
    /// Readiness: the database answers and takes writes, the record's writer runs (both unhealthy when not), the
    /// tenant's discovery document answers and depnotes are read (degraded when not: every instance shares those).
    /// </summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [Ready])
            .AddCheck<RecordWriterHealthCheck>("record-writer", HealthStatus.Unhealthy, [Ready])
            .AddCheck<TenantHealthCheck>("tenant", HealthStatus.Degraded, [Ready])
            .AddCheck<IngestionHealthCheck>("depnote-ingestion", HealthStatus.Degraded, [Ready]);
        return builder;
    }

    /// <summary><c>/health/live</c> (the process serves; no dependency is asked) and <c>/health/ready</c> (200, or 503 when unhealthy).</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = HealthResponse.WriteAsync });
        return app;
    }
}
