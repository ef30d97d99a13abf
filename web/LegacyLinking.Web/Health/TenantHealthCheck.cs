using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LegacyLinking.Web.Health;

/// <summary>
/// The tenant's discovery document can be read (through the sign-in's own back channel: its deadline and circuit).
/// Reported as degraded, not unhealthy: the tenant is every instance's, so taking this one out of the pool would not help.
/// </summary>
public sealed class TenantHealthCheck(IHttpClientFactory clients, Auth0Tenant tenant, TenantCircuit circuit) : IHealthCheck
{
    /// <summary>A probe answers within its load balancer's timeout: a tenant slower than this counts as not answering.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (circuit.IsOpen) return new HealthCheckResult(context.Registration.FailureStatus, "The tenant kept failing: its circuit is open (calls fail at once until a probe succeeds).");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await clients.CreateClient(TenantBackchannel.ClientName)
                .GetAsync(tenant.AuthorityText + "/.well-known/openid-configuration", timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy("The tenant's discovery document answers.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"The tenant's discovery document answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (TenantFailures.IsUnavailable(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The tenant's discovery document did not answer, or answered a server error, within 3 s.");
        }
    }
}
