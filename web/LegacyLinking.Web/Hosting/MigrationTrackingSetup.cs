using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Web.Hosting;

public static class MigrationTrackingSetup
{
    /// <summary>
    /// The migration record: a bounded queue in front of a batching background writer. <c>Migration:Recording=false</c>
    /// switches recording off (the benchmark's baseline; an operator's escape hatch).
    /// </summary>
    public static IHostApplicationBuilder AddMigrationTracking(this IHostApplicationBuilder builder)
    {
        var capacity = builder.Configuration.GetValue("Migration:QueueCapacity", FlowEventRecorder.DefaultCapacity);
        var recording = builder.Configuration.GetValue("Migration:Recording", true);
        builder.Services.AddSingleton(sp => new FlowEventRecorder(
            sp.GetRequiredService<ILogger<FlowEventRecorder>>(), sp.GetRequiredService<TimeProvider>(), capacity, recording));
        builder.Services.AddSingleton<FlowEventWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlowEventWriter>());
        builder.Services.AddScoped<MigrationReport>();
        builder.Services.AddSingleton<DeprecationNoticeIngestor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeprecationNoticeIngestor>());
        return builder;
    }
}
