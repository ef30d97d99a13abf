using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class MigrationTrackingSetup
{
    /// <summary>
    /// The migration record: a bounded queue in front of a batching background writer. <c>Migration:Recording=false</c>
    /// switches recording off (the benchmark's baseline; an operator's escape hatch).
    /// </summary>
    public static IHostApplicationBuilder AddMigrationTracking(this IHostApplicationBuilder builder)
    {
        builder.AddSettings<MigrationOptions>(MigrationOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MigrationOptions>>().Value;
            return new FlowEventRecorder(sp.GetRequiredService<ILogger<FlowEventRecorder>>(), sp.GetRequiredService<TimeProvider>(), options.QueueCapacity, options.Recording);
        });
        builder.Services.AddSingleton(sp => new FlowEventWriter(sp.GetRequiredService<FlowEventRecorder>(),
            sp.GetRequiredService<IDbContextFactory<AppDbContext>>(), sp.GetRequiredService<ILogger<FlowEventWriter>>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<MigrationOptions>>().Value.WriterLingerMilliseconds)));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FlowEventWriter>());
        builder.Services.AddScoped<MigrationReport>();
        builder.Services.AddSingleton<ReadinessReport>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MigrationOptions>>().Value;
            return new DepnotePolling(TimeSpan.FromSeconds(options.DepnotePollSeconds), options.DepnoteLookbackDays);
        });
        builder.Services.AddSingleton(sp => new TenantLogBudget(
            sp.GetRequiredService<IOptions<MigrationOptions>>().Value.DepnoteMaxCallsPerMinute, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddScoped<DeprecationUsage>();
        builder.Services.AddSingleton<DeprecationNoticeIngestor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeprecationNoticeIngestor>());
        return builder;
    }
}
