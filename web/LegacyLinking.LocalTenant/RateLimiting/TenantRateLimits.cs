using Microsoft.Extensions.Configuration;

namespace LegacyLinking.LocalTenant.RateLimiting;

/// <summary>
/// The tenant's rate-limit buckets. Auth0 limits per tenant; this process is one tenant, so the Management API has one
/// bucket (Auth0's Free tier counts every Management API call against the same bucket) and <c>/oauth/token</c> its own.
/// The dashboard and the test-control routes change them at run time; <see cref="Reset"/> goes back to configuration.
/// </summary>
public sealed class TenantRateLimits : IDisposable
{
    public const string SectionName = "LocalTenant:RateLimit";
    public const string TokenEndpointSectionName = SectionName + ":TokenEndpoint";

    private readonly IConfiguration _configuration;

    public TenantRateLimits(IConfiguration configuration)
    {
        _configuration = configuration;
        Management = new RateLimitBucket(ConfiguredManagement);
        TokenEndpoint = new RateLimitBucket(ConfiguredTokenEndpoint);
    }

    /// <summary>Every <c>/api/v2/*</c> request.</summary>
    public RateLimitBucket Management { get; }

    /// <summary><c>POST /oauth/token</c>.</summary>
    public RateLimitBucket TokenEndpoint { get; }

    public RateLimitPolicy ConfiguredManagement => RateLimitPolicy.From(_configuration.GetSection(SectionName));
    public RateLimitPolicy ConfiguredTokenEndpoint => RateLimitPolicy.From(_configuration.GetSection(TokenEndpointSectionName));

    /// <summary>Back to the configured numbers, with full buckets.</summary>
    public void Reset()
    {
        Management.Apply(ConfiguredManagement);
        TokenEndpoint.Apply(ConfiguredTokenEndpoint);
    }

    public void Dispose()
    {
        Management.Dispose();
        TokenEndpoint.Dispose();
    }
}
