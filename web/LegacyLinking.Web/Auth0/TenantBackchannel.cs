using LegacyLinking.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The OpenID Connect handlers' calls to the tenant (discovery, signing keys, code redemption) go through the same
/// deadline and circuit breaker as the API clients, and a discovery document that cannot be had becomes
/// <see cref="IdentityProviderUnavailableException"/> within the page's deadline (its outage page), not a 500 after a
/// minute. Applies to every OpenID Connect scheme: the primary sign-in and the secondary's login when linking. The
/// client trusts what the API clients trust (<see cref="Hosting.TenantTrust"/>: the embedded tenant's own certificate
/// when it serves https). Each scheme reads the tenant's metadata through a <see cref="TenantConfiguration"/>.
/// </summary>
public sealed class TenantBackchannel(IHttpClientFactory clients, TenantDeadlines deadlines, TimeProvider clock, ILogger<TenantConfiguration> logger)
    : IConfigureNamedOptions<OpenIdConnectOptions>, IPostConfigureOptions<OpenIdConnectOptions>
{
    public const string ClientName = "auth0-backchannel";

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        options.Backchannel = clients.CreateClient(ClientName);
        // Until discovery first succeeds every sign-in asks for it again; this is how soon after a failure it may.
        options.RefreshInterval = TimeSpan.FromSeconds(1);
    }

    public void PostConfigure(string? name, OpenIdConnectOptions options)
    {
        // Replaces the handler's own ConfigurationManager if its post-configure ran first (it has fetched nothing yet).
        if (options.ConfigurationManager is TenantConfiguration) return;
        var address = string.IsNullOrEmpty(options.MetadataAddress)
            ? options.Authority!.TrimEnd('/') + "/.well-known/openid-configuration"
            : options.MetadataAddress;
        // The issuer the app was configured with (Auth0's, with the trailing slash): a document naming another is refused.
        var issuer = options.TokenValidationParameters.ValidIssuer ?? options.Authority!.TrimEnd('/') + "/";
        options.ConfigurationManager = new TenantConfiguration(
            address, new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata }, issuer,
            options.AutomaticRefreshInterval, options.RefreshInterval, deadlines, clock, logger);
    }
}

/// <summary>
/// The tenant's discovery document and signing keys for one OpenID Connect scheme, as both the handler and its token
/// handler read them. Written for two defences the stock <c>ConfigurationManager</c> does not give:
/// <list type="bullet">
/// <item>Key rotation (catalogue 18). An ID token that names a key the app has not seen makes the token handler ask for
/// a refresh and read the configuration once more, and it tries again only with a new configuration object. The stock
/// manager (IdentityModel 8) refreshes in the background and hands back the old object at once, so the first sign-in
/// after a rotation was refused. Here a requested refresh makes that read wait for a real fetch. Requests are honoured
/// at most once per <see cref="ForcedRefreshInterval"/>: a key that stays unknown costs at most one fetch, never a loop.</item>
/// <item>Discovery issuer (catalogue 19, OpenID Connect Discovery 4.3). The handler and the token handler both accept
/// the issuer the document names, so a document naming another issuer would make tokens of that issuer valid. A
/// document whose <c>issuer</c> is not the configured one is refused: a first one is an outage (nobody can sign in), a
/// later one leaves the previous configuration in use.</item>
/// </list>
/// No last-known-good fallback: it would go on accepting a key the tenant has revoked for up to an hour.
/// </summary>
public sealed class TenantConfiguration : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    /// <summary>How soon after one refresh forced by an unknown key another may fetch.</summary>
    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly IDocumentRetriever _documents;
    private readonly string _issuer;
    private readonly TenantDeadlines _deadlines;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private OpenIdConnectConfiguration? _current;
    private Exception? _failure;
    private DateTimeOffset _fetchAfter = DateTimeOffset.MinValue;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;
    private bool _refreshRequested;
    private Task<OpenIdConnectConfiguration>? _fetch;

    public TenantConfiguration(string metadataAddress, IDocumentRetriever documents, string issuer, TimeSpan automaticRefresh,
        TimeSpan retryAfterFailure, TenantDeadlines deadlines, TimeProvider clock, ILogger logger)
    {
        MetadataAddress = metadataAddress;
        AutomaticRefreshInterval = automaticRefresh;
        RefreshInterval = retryAfterFailure; // the base class's name for how soon a failed fetch is tried again
        UseLastKnownGoodConfiguration = false;
        _documents = documents;
        _issuer = issuer;
        _deadlines = deadlines;
        _clock = clock;
        _logger = logger;
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        Task<OpenIdConnectConfiguration> fetch;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_current is { } current && !_refreshRequested && now < _fetchAfter) return current;
            if (_current is null && _failure is { } failure && now < _fetchAfter) throw new IdentityProviderUnavailableException(failure);
            // One fetch at a time, shared and not cancellable: each caller waits for it within its own deadline at most.
            fetch = _fetch ??= FetchAsync();
        }
        try
        {
            return await fetch.WaitAsync(_deadlines.Cap(Timeout.InfiniteTimeSpan), cancel);
        }
        catch (Exception e) when (!cancel.IsCancellationRequested && e is not IdentityProviderUnavailableException)
        {
            throw new IdentityProviderUnavailableException(e);
        }
    }

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        await GetConfigurationAsync(cancel);

    /// <summary>The next read fetches afresh (and waits for it), unless a forced refresh was honoured lately.</summary>
    public override void RequestRefresh()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_current is null || now - _lastForcedRefresh < ForcedRefreshInterval) return;
            _lastForcedRefresh = now;
            _refreshRequested = true;
        }
    }

    private async Task<OpenIdConnectConfiguration> FetchAsync()
    {
        await Task.Yield(); // off the caller's lock
        try
        {
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(MetadataAddress, _documents, CancellationToken.None);
            if (!string.Equals(configuration.Issuer, _issuer, StringComparison.Ordinal))
                throw new InvalidOperationException(
                    $"The tenant's discovery document names the issuer '{configuration.Issuer}', not the configured '{_issuer}'; its metadata is refused.");
            lock (_gate)
            {
                _current = configuration;
                _failure = null;
                _fetchAfter = _clock.GetUtcNow() + AutomaticRefreshInterval;
            }
            return configuration;
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failure = e;
                _fetchAfter = _clock.GetUtcNow() + RefreshInterval;
                if (_current is { } kept)
                {
                    _logger.LogWarning("Could not refresh the tenant's metadata from {Address} ({Error}); the previous metadata stays in use.", MetadataAddress, e.Message);
                    return kept;
                }
            }
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _fetch = null;
                _refreshRequested = false;
            }
        }
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
/// that is down at start is only logged: the sign-ins and the pages then ask again. The embedded tenant starts after
/// the app's first page (<see cref="FirstPageGate"/>): the warm-up waits for it first, outside the calls' deadlines.
/// </summary>
public sealed class TenantDiscoveryWarmUp(
    IAuthenticationSchemeProvider schemes, IOptionsMonitor<OpenIdConnectOptions> options, ManagementTokenCache serverToken,
    ILogger<TenantDiscoveryWarmUp> logger, EmbeddedTenantStart? embeddedTenant = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (embeddedTenant is not null) await embeddedTenant.WhenStarted.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            return; // it did not start: the app's start fails with the reason
        }
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
