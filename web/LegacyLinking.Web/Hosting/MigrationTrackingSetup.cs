using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class MigrationTrackingSetup
{
    /// <summary>
    /// The migration record: a bounded queue in front of a batching background writer and its local journal.
    /// <c>Migration:Recording=false</c> switches recording off (the benchmark's baseline; an operator's escape hatch).
    /// </summary>
    public static IHostApplicationBuilder AddMigrationTracking(this IHostApplicationBuilder builder)
    {
        builder.AddSettings<MigrationOptions>(MigrationOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MigrationOptions>>().Value;
            return new FlowEventRecorder(sp.GetRequiredService<ILogger<FlowEventRecorder>>(), sp.GetRequiredService<TimeProvider>(), options.QueueCapacity, options.Recording);
        });
        builder.Services.AddSingleton<AttemptLog>();
        // One folder per instance: two instances on one machine need two (the second stops at start naming the key).
        builder.Services.AddSingleton(sp => new RecordJournal(
            sp.GetRequiredService<IOptions<MigrationOptions>>().Value.JournalPath is { Length: > 0 } configured
                ? configured
                : Path.Combine(builder.Environment.ContentRootPath, "App_Data", "record-journal"),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RecordJournal>>()));
        builder.Services.AddSingleton(sp => new FlowEventWriter(sp.GetRequiredService<FlowEventRecorder>(),
            sp.GetRequiredService<IDbContextFactory<AppDbContext>>(), sp.GetRequiredService<RecordJournal>(),
            sp.GetRequiredService<DatabaseFile>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FlowEventWriter>>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<MigrationOptions>>().Value.WriterLingerMilliseconds)));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlowEventWriter>());
        builder.Services.AddScoped<MigrationReport>();
        builder.Services.AddScoped<RecordIntegrity>();
        builder.Services.AddSingleton<ReadinessReport>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MigrationOptions>>().Value;
            return new DepnotePolling(TimeSpan.FromSeconds(options.DepnotePollSeconds), options.DepnoteLookbackDays);
        });
        builder.Services.AddSingleton(sp => new TenantLogBudget(
            sp.GetRequiredService<IOptions<MigrationOptions>>().Value.DepnoteMaxCallsPerMinute, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddScoped<DeprecationUsage>();
        builder.Services.AddSingleton<Health.IngestionStatus>();
        builder.Services.AddSingleton<DeprecationNoticeIngestor>();
        // The log reader is not needed for the first page (FirstPageGate): it starts once that has been served.
        builder.Services.AddHostedServiceAfterFirstPage<DeprecationNoticeIngestor>();
        return builder;
    }
}
