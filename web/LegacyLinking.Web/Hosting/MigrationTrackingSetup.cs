using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Web.Hosting;

public static class MigrationTrackingSetup
{
    /// <summary>
    /// The migration record: a bounded queue in front of a batching background writer and its local journal.
    /// <c>Migration:Recording=false</c> switches recording off (the benchmark's baseline; an operator's escape hatch).
    /// </summary>
    public static IHostApplicationBuilder AddMigrationTracking(this IHostApplicationBuilder builder)
    {
        var capacity = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:QueueCapacity", FlowEventRecorder.DefaultCapacity, 1, 1_000_000);
        var lingerMs = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:WriterLingerMilliseconds", (int)FlowEventWriter.DefaultLinger.TotalMilliseconds, 0, 60_000);
        var depnoteSeconds = ConfigurationRules.WholeNumber(builder.Configuration, "Migration:DepnotePollSeconds", DepnotePolling.DefaultSeconds, 0, 86_400);
        var recording = builder.Configuration.GetValue("Migration:Recording", true);
        builder.Services.AddSingleton(sp => new FlowEventRecorder(
            sp.GetRequiredService<ILogger<FlowEventRecorder>>(), sp.GetRequiredService<TimeProvider>(), capacity, recording));
        // One folder per instance: two instances on one machine need two (the second stops at start naming the key).
        var journalPath = builder.Configuration["Migration:JournalPath"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.Environment.ContentRootPath, "App_Data", "record-journal");
        builder.Services.AddSingleton(sp => new RecordJournal(journalPath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RecordJournal>>()));
        builder.Services.AddSingleton(sp => new FlowEventWriter(sp.GetRequiredService<FlowEventRecorder>(),
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.AppDbContext>>(),
            sp.GetRequiredService<RecordJournal>(), sp.GetRequiredService<Data.DatabaseFile>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FlowEventWriter>>(), TimeSpan.FromMilliseconds(lingerMs)));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlowEventWriter>());
        builder.Services.AddScoped<MigrationReport>();
        builder.Services.AddScoped<RecordIntegrity>();
        builder.Services.AddSingleton<ReadinessReport>();
        builder.Services.AddSingleton(new DepnotePolling(TimeSpan.FromSeconds(depnoteSeconds)));
        builder.Services.AddSingleton<Health.IngestionStatus>();
        builder.Services.AddSingleton<DeprecationNoticeIngestor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeprecationNoticeIngestor>());
        return builder;
    }
}
