using LegacyLinking.Web.Ramp;

namespace LegacyLinking.Web.Hosting;

public static class RampSetup
{
    /// <summary>
    /// The guarded ramp: plans in the app's database (read by the flag definitions, so it needs
    /// <see cref="FeatureFlagSetup.AddFeatureFlags"/> and <see cref="MigrationTrackingSetup.AddMigrationTracking"/>), and
    /// the engine that moves them on the migration record's evidence.
    /// </summary>
    public static IHostApplicationBuilder AddRamp(this IHostApplicationBuilder builder)
    {
        builder.AddSettings<RampOptions>(RampOptions.Section);
        builder.Services.AddSingleton<RampStore>();
        builder.Services.AddSingleton<Flags.IPlannedAllocations>(sp => sp.GetRequiredService<RampStore>());
        // Neither is needed for the first page (FirstPageGate): they start once it has been served.
        builder.Services.AddSingleton<RampPlansWarmUp>();
        builder.Services.AddHostedServiceAfterFirstPage<RampPlansWarmUp>();
        builder.Services.AddSingleton<RampEngine>();
        builder.Services.AddHostedServiceAfterFirstPage<RampEngine>();
        return builder;
    }
}
