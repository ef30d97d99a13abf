using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>OpenIddict as an Auth0-shaped authorization server: Auth0's endpoint paths, grants and lifetimes.</summary>
public static class OidcSetup
{
    public static WebApplicationBuilder AddTenantOidc(this WebApplicationBuilder builder)
    {
        var urls = new TenantUrls(LocalTenantApp.UrlOf(builder.Configuration));
        // Read here rather than in the options callback, so a malformed value stops the start, not the first token request.
        var accessTokenLifetime = AccessTokenLifetime.From(builder.Configuration);
        builder.Services.AddScoped<TenantPrincipals>();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<TenantDbContext>())
            .AddServer(server =>
            {
                // Behind a proxy the issuer is the address each request came through (ProxySetup); else the configured one.
                if (ProxySetup.KnownProxies(builder.Configuration).Count == 0) server.SetIssuer(urls.Issuer);
                server.SetAuthorizationEndpointUris("authorize")
                    .SetTokenEndpointUris("oauth/token")
                    .SetEndSessionEndpointUris("v2/logout", "oidc/logout")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks.json");

                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow()
                    // Per client, as Auth0's "Implicit" grant type (TenantSeeder grants the response types).
                    .AllowImplicitFlow().AllowHybridFlow();
                server.DisableRollingRefreshTokens().DisableSlidingRefreshTokenExpiration();
                // Auth0 accepts only S256 challenges.
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                // Auth0 drops scopes it does not know instead of failing; TenantScopes decides what is granted.
                server.DisableScopeValidation().IgnoreScopePermissions();
                server.RegisterScopes([.. TenantScopes.Oidc, .. TenantScopes.ManagementCurrentUser]);
                server.RegisterClaims(
                    Claims.Subject, Claims.Name, Claims.Nickname, Claims.Picture, Claims.GivenName, Claims.FamilyName,
                    Claims.UpdatedAt, Claims.Email, Claims.EmailVerified, Claims.PhoneNumber, Claims.PhoneNumberVerified,
                    TenantClaims.SessionId, TenantClaims.AuthTime, TenantClaims.Groups);

                // Auth0's defaults: 24 h API access tokens (configurable per API, as there), 10 h ID tokens.
                server.SetAccessTokenLifetime(accessTokenLifetime).SetIdentityTokenLifetime(TimeSpan.FromHours(10));
                // Access tokens are RS256 JWTs that resource servers (the Management API, the app) read themselves.
                server.DisableAccessTokenEncryption();

                foreach (var handler in Auth0CompatibilityHandlers.AudienceIsAnApiIdentifier) server.AddEventHandler(handler);
                server.AddEventHandler(Auth0CompatibilityHandlers.ReturnToIsPostLogoutRedirectUri);
                server.AddEventHandler(Auth0CompatibilityHandlers.CodeVerifierFailureIsInvalidGrant);
                server.AddEventHandler(Auth0CompatibilityHandlers.UserInfoInDiscovery);
                server.AddEventHandler(Auth0CompatibilityHandlers.NoErrorUri<OpenIddictServerEvents.ApplyAuthorizationResponseContext>());
                server.AddEventHandler(Auth0CompatibilityHandlers.NoErrorUri<OpenIddictServerEvents.ApplyEndSessionResponseContext>());
                server.AddEventHandler(Auth0TokenErrors.Descriptor);
                server.AddEventHandler(Auth0TokenFormat.Descriptor);
                server.AddEventHandler(Auth0CompatibilityHandlers.RefreshTokensDoNotRotate);

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Errors that cannot go back to a client (bad redirect_uri, unknown returnTo) render /error.
                    .EnableStatusCodePagesIntegration()
                    // Plain http on loopback, like a developer's machine.
                    .DisableTransportSecurityRequirement();
            });

        return builder;
    }

    public static IEndpointRouteBuilder MapTenantOidc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.HandleAsync);
        endpoints.MapPost(JsonTokenRequestMiddleware.TokenPath, TokenEndpoint.HandleAsync);
        endpoints.MapMethods(UserInfoEndpoint.Path, [HttpMethods.Get, HttpMethods.Post], UserInfoEndpoint.HandleAsync);
        endpoints.MapMethods("/v2/logout", [HttpMethods.Get, HttpMethods.Post], LogoutEndpoint.HandleAsync);
        endpoints.MapMethods("/oidc/logout", [HttpMethods.Get, HttpMethods.Post], LogoutEndpoint.HandleAsync);
        return endpoints;
    }
}
