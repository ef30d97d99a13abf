using LegacyLinking.Web.Data;

namespace LegacyLinking.Web.Ramp;

/// <summary>
/// Reads the plans once as the app starts. Every flow flag's evaluation asks for them, and while the database does not
/// answer the last plans read stay in force; without this first read, an outage before any flow flag was evaluated
/// would leave no plans to keep, and every page that evaluates one would answer with the outage page.
/// </summary>
public sealed class RampPlansWarmUp(RampStore store, ILogger<RampPlansWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.PlansAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            logger.LogWarning("The ramp plans could not be read at start ({Error}); the first page that needs them reads them.", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
