using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// Tells "the tenant did not answer" (in time, at all, with a 5xx on the sign-in's back channel, or its circuit is
/// open) from an answer that said no. The app makes HTTP calls to nothing but the tenant.
/// </summary>
public static class TenantFailures
{
    public static bool IsUnavailable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is TenantUnavailableException or IdentityProviderUnavailableException or HttpRequestException
                or TimeoutRejectedException or BrokenCircuitException)
                return true;
        return false;
    }
}
