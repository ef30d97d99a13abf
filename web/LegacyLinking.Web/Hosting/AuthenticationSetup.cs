using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class AuthenticationSetup
{
    /// <summary>Cookie session + OpenID Connect against the tenant, tokens kept in a server-side ticket store.</summary>
    public static IHostApplicationBuilder AddSignIn(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDistributedMemoryCache();
        services.AddSingleton<ITicketStore, DistributedTicketStore>();
        services.AddSingleton<SessionEpochs>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, TicketStoreCookieOptions>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, Auth0OidcOptions>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = AuthSchemes.Cookie;
                options.DefaultChallengeScheme = AuthSchemes.Auth0;
            })
            .AddCookie(AuthSchemes.Cookie, options =>
            {
                options.Cookie.Name = AuthSchemes.SessionCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/Account/Login";
                options.AccessDeniedPath = "/Account/AccessDenied";
                options.Events.OnSigningIn = context =>
                {
                    context.HttpContext.RequestServices.GetRequiredService<SessionEpochs>().Stamp(context);
                    return Task.CompletedTask;
                };
                options.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<SessionEpochs>().ValidateAsync(context);
            })
            .AddOpenIdConnect(AuthSchemes.Auth0, _ => { });

        services.AddAuthorization();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AuthSchemes.AntiforgeryCookie;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }
}
