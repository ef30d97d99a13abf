using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Web.Hosting;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// Which certificate the app's back-channel calls to the tenant (token, Management API, discovery and JWKS) accept.
/// A real tenant, or an http one: the machine's trust store, as always. The embedded tenant over https: exactly its
/// development certificate, as the one trusted root of these calls only — the host name and expiry are still checked,
/// and nothing else in the process trusts it.
/// </summary>
public sealed class TenantTrust
{
    private readonly EmbeddedTenantStart? _embedded;

    public TenantTrust(Auth0Tenant tenant, IOptions<LocalTenantOptions> localTenant, IHostEnvironment environment, EmbeddedTenantStart? embedded = null)
    {
        if (tenant.IsLocal) _embedded = embedded;
        if (tenant.IsLocal && tenant.Authority.Scheme == Uri.UriSchemeHttps)
            Certificate = DevelopmentCertificate.LoadOrCreate(localTenant.Value.ResolveDataPath(environment), tenant.Authority.DnsSafeHost);
    }

    /// <summary>The embedded tenant's certificate when it serves https; null otherwise.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>
    /// A handler for calls to the tenant; the default one unless the embedded tenant's certificate is pinned. Calls to
    /// the embedded tenant wait until it has started (it starts beside the app).
    /// </summary>
    public HttpMessageHandler CreateHandler()
    {
        var handler = CreateSocketsHandler();
        return _embedded is null ? handler : new WaitForEmbeddedTenant(_embedded, handler);
    }

    private SocketsHttpHandler CreateSocketsHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (Certificate is { } certificate)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            };
        }
        return handler;
    }

    /// <summary>Holds a call until the embedded tenant answers; a tenant that failed to start fails the call as unreachable.</summary>
    private sealed class WaitForEmbeddedTenant(EmbeddedTenantStart start, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = start.WhenStarted;
            if (!started.IsCompletedSuccessfully)
            {
                try
                {
                    await started.WaitAsync(cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new HttpRequestException("The embedded local tenant did not start.", e);
                }
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
