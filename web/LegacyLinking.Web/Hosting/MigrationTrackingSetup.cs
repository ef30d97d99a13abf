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
        var capacity = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:QueueCapacity", FlowEventRecorder.DefaultCapacity, 1, 1_000_000);
        var lingerMs = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:WriterLingerMilliseconds", (int)FlowEventWriter.DefaultLinger.TotalMilliseconds, 0, 60_000);
        var depnoteSeconds = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:DepnotePollSeconds", DepnotePolling.DefaultSeconds, 0, 86_400);
        // Auth0 keeps tenant logs 1 to 30 days depending on the plan: a longer look-back finds nothing more.
        var lookbackDays = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:DepnoteLookbackDays", DepnotePolling.DefaultLookbackDays, 0, 30);
        var callsPerMinute = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:DepnoteMaxCallsPerMinute", TenantLogBudget.DefaultCallsPerMinute, 1, 600);
        var recording = builder.Configuration.GetValue("Migration:Recording", true);
        builder.Services.AddSingleton(sp => new FlowEventRecorder(
            sp.GetRequiredService<ILogger<FlowEventRecorder>>(), sp.GetRequiredService<TimeProvider>(), capacity, recording));
        builder.Services.AddSingleton(sp => new FlowEventWriter(sp.GetRequiredService<FlowEventRecorder>(),
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.AppDbContext>>(),
            sp.GetRequiredService<ILogger<FlowEventWriter>>(), TimeSpan.FromMilliseconds(lingerMs)));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlowEventWriter>());
        builder.Services.AddScoped<MigrationReport>();
        builder.Services.AddSingleton<ReadinessReport>();
        builder.Services.AddSingleton(new DepnotePolling(TimeSpan.FromSeconds(depnoteSeconds), lookbackDays));
        builder.Services.AddSingleton(sp => new TenantLogBudget(callsPerMinute, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddScoped<DeprecationUsage>();
        builder.Services.AddSingleton<DeprecationNoticeIngestor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeprecationNoticeIngestor>());
        return builder;
    }
}
