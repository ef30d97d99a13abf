using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.PasswordReset;
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
        services.AddSingleton<ITicketStore, DistributedTicketStore>();
        services.AddSingleton<SessionCuts>();
        services.AddSingleton<SessionEpochs>();
        services.AddSingleton(sp => new AccessTokenRefreshWindow(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SessionsOptions>>().Value.AccessTokenRefreshSeconds)));
        services.AddSingleton(sp => new AccessTokenRefreshPause(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SessionsOptions>>().Value.AccessTokenRefreshRetrySeconds)));
        // Scoped: it holds a typed HttpClient, which must not live as long as a singleton.
        services.AddScoped<AccessTokenRefresher>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, TicketStoreCookieOptions>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, Auth0OidcOptions>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = AuthSchemes.Cookie;
                options.DefaultChallengeScheme = AuthSchemes.Auth0;
            })
            .AddCookie(AuthSchemes.Cookie, options =>
            {
                options.Cookie.Name = AppCookies.Session;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/Account/Login";
                options.AccessDeniedPath = "/Account/AccessDenied";
                options.Events.OnSigningIn = async context =>
                {
                    var requestServices = context.HttpContext.RequestServices;
                    requestServices.GetRequiredService<SessionEpochs>().Stamp(context);
                    PasswordResetCheck.Stamp(context, requestServices.GetRequiredService<TimeProvider>());
                    FreshSignInMarker.Clear(context.HttpContext);
                    await SessionStateOwner.ForgetAnotherUsersStateAsync(context);
                };
                options.Events.OnValidatePrincipal = async context =>
                {
                    var requestServices = context.HttpContext.RequestServices;
                    // A reset found here moves the user's cut, which the next line applies.
                    await requestServices.GetRequiredService<PasswordResetCheck>().CheckIfDueAsync(context);
                    await requestServices.GetRequiredService<SessionEpochs>().ValidateAsync(context);
                    // A session that just ended must not spend a refresh token.
                    if (context.Principal is not null)
                        await requestServices.GetRequiredService<AccessTokenRefresher>().RefreshIfDueAsync(context);
                };
            })
            .AddOpenIdConnect(AuthSchemes.Auth0, _ => { });

        services.AddAuthorization();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AppCookies.Antiforgery;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }
}
