using LegacyLinking.LocalTenant.Sessions;
using LegacyLinking.LocalTenant.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The login pages and the tenant session cookie. Cookie names differ from the app's: both live on 127.0.0.1.</summary>
public static class LoginUiSetup
{
    public const string AntiforgeryCookieName = "ll_tenant_af";

    /// <summary>Largest form value accepted anywhere (authorize POSTs and token requests included).</summary>
    public const int MaxFormValueLength = 16 * 1024;

    public static WebApplicationBuilder AddTenantLoginUi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRouting(options => options.LowercaseUrls = true);
        services.AddRazorPages();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.Configure<FormOptions>(options =>
        {
            options.ValueLengthLimit = MaxFormValueLength;
            options.KeyLengthLimit = 256;
            options.ValueCountLimit = 100;
            options.MultipartBodyLengthLimit = 64 * 1024;
        });

        services.AddAuthentication(TenantSessions.Scheme)
            .AddCookie(TenantSessions.Scheme, options =>
            {
                options.Cookie.Name = TenantSessions.CookieName;
                options.Cookie.HttpOnly = true;
                // Lax: the session must be sent on the top-level redirect from the app to /authorize.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromDays(3);
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
            });

        services.AddScoped<TenantSessions>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<PasswordlessCodes>();
        return builder;
    }
}
