using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The OpenID Connect handlers' calls to the tenant (discovery, signing keys, code redemption) go through the same
/// deadline and circuit breaker as the API clients, and a discovery document that cannot be had becomes
/// <see cref="IdentityProviderUnavailableException"/> within the page's deadline (its outage page), not a 500 after a
/// minute. Applies to every OpenID Connect scheme: the primary sign-in and the secondary's login when linking. The
/// client trusts what the API clients trust (<see cref="Hosting.TenantTrust"/>: the embedded tenant's own certificate
/// when it serves https).
/// </summary>
public sealed class TenantBackchannel(IHttpClientFactory clients, TenantDeadlines deadlines)
    : IConfigureNamedOptions<OpenIdConnectOptions>, IPostConfigureOptions<OpenIdConnectOptions>
{
    public const string ClientName = "auth0-backchannel";

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        // The handler's own ConfigurationManager is then built on this client (in its post-configure).
        options.Backchannel = clients.CreateClient(ClientName);
        // Until discovery first succeeds every sign-in asks for it again; this is how soon after a failure it may.
        options.RefreshInterval = TimeSpan.FromSeconds(1);
    }

    public void PostConfigure(string? name, OpenIdConnectOptions options)
    {
        if (options.ConfigurationManager is ResilientConfiguration) return;
        options.ConfigurationManager = new ResilientConfiguration(options.ConfigurationManager ?? Create(options), deadlines);
    }

    /// <summary>As the handler's post-configure would make it, for when this one runs first.</summary>
    private static ConfigurationManager<OpenIdConnectConfiguration> Create(OpenIdConnectOptions options) =>
        new(string.IsNullOrEmpty(options.MetadataAddress) ? options.Authority!.TrimEnd('/') + "/.well-known/openid-configuration" : options.MetadataAddress,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata })
        {
            RefreshInterval = options.RefreshInterval,
            AutomaticRefreshInterval = options.AutomaticRefreshInterval,
        };

    private sealed class ResilientConfiguration(IConfigurationManager<OpenIdConnectConfiguration> inner, TenantDeadlines deadlines)
        : IConfigurationManager<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
        {
            try
            {
                // Its first fetch holds a lock the next sign-ins wait on, and is not cancellable: each waits its own deadline at most.
                return await inner.GetConfigurationAsync(cancel).WaitAsync(deadlines.Cap(Timeout.InfiniteTimeSpan), cancel);
            }
            catch (Exception e) when (!cancel.IsCancellationRequested)
            {
                throw new IdentityProviderUnavailableException(e);
            }
        }

        public void RequestRefresh() => inner.RequestRefresh();
    }
}

/// <summary>The tenant's discovery document (its endpoints and keys) could not be had: nobody can sign in just now.</summary>
public sealed class IdentityProviderUnavailableException(Exception inner)
    : Exception("The identity provider's discovery document could not be read: " + inner.Message, inner);

/// <summary>
/// On the sign-in's back channel, a 5xx from the tenant is a failure to answer (the circuit counted it already): the
/// handler then reports the identity provider unavailable rather than a protocol error ("invalid or replayed code").
/// </summary>
public sealed class ServerErrorAsFailureHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode < 500) return response;
        response.Dispose();
        throw new HttpRequestException($"The identity provider answered {(int)response.StatusCode} to {request.Method} {request.RequestUri?.AbsolutePath}.", null, response.StatusCode);
    }
}

/// <summary>
/// Reads every OpenID Connect scheme's discovery document as the app starts, in the background, so the first sign-in
/// does not spend its deadline on it (nor on the tenant's own first answer); beside it, mints the app's Management API
/// token, so the first profile view waits one round trip to the tenant (its two reads side by side), not two. A tenant
/// that is down at start is only logged: the sign-ins and the pages then ask again.
/// </summary>
public sealed class TenantDiscoveryWarmUp(
    IAuthenticationSchemeProvider schemes, IOptionsMonitor<OpenIdConnectOptions> options, ManagementTokenCache serverToken,
    ILogger<TenantDiscoveryWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var token = ServerTokenAsync(stoppingToken);
        foreach (var scheme in (await schemes.GetAllSchemesAsync()).Where(s => s.HandlerType == typeof(OpenIdConnectHandler)))
        {
            try
            {
                await options.Get(scheme.Name).ConfigurationManager!.GetConfigurationAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not read the tenant's discovery document for {Scheme} at start ({Error}); sign-ins will ask again.", scheme.Name, e.Message);
            }
        }
        await token;
    }

    private async Task ServerTokenAsync(CancellationToken stoppingToken)
    {
        try
        {
            await serverToken.GetTokenAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not get the app's Management API token at start ({Error}); the first page that needs it will ask again.", e.Message);
        }
    }
}
