using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Profile;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection.Extensions;


namespace LegacyLinking.Web.Hosting;

public static class PagesSetup
{
    public static IHostApplicationBuilder AddPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
            {
                options.Conventions.AuthorizeFolder("/Profile");
                options.Conventions.AuthorizePage("/Account/Logout");
                options.Conventions.AuthorizeFolder("/Qa", AuthorizationPolicies.Qa);
                options.Conventions.AuthorizeFolder("/Migration", AuthorizationPolicies.Qa);
                options.Conventions.ConfigureFilter(new LegacyLinking.Web.Pages.HandlerRequiredFilter());
            })
            .AddCookieTempDataProvider(options =>
            {
                options.Cookie.Name = AppCookies.TempData;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        builder.Services.Replace(ServiceDescriptor.Singleton<ITempDataProvider>(sp =>
            new LegacyLinking.Web.Pages.BoundedTempDataProvider(ActivatorUtilities.CreateInstance<CookieTempDataProvider>(sp))));
        builder.Services.AddScoped<ProfileReader>();
        builder.Services.AddScoped<VerificationEmails>();
        builder.Services.AddScoped<LegacyLinking.Web.QaConsole.FlagConsole>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthorizationPolicies.Qa, policy => policy.RequireAssertion(context => context.User.IsQa()));
        return builder;
    }

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        return app;
    }

    /// <summary>
    /// Builds the pages' endpoints and the link generator's tables (what routing and the first page's links would build
    /// on the first request) on another thread while the app migrates its database, so the first request finds them
    /// ready. Both build once, under their own locks, whichever thread comes first; a failure is left to that request.
    /// </summary>
    public static WebApplication BuildEndpointsInBackground(this WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources.ToList();
        var links = app.Services.GetRequiredService<LinkGenerator>();
        _ = Task.Run(() =>
        {
            try
            {
                foreach (var source in sources) _ = source.Endpoints;
                _ = links.GetPathByPage("/Index");
                StartupTimeline.Mark("app: endpoints built");
            }
            catch (Exception)
            {
                // the first request builds them and reports the failure
            }
        });
        return app;
    }
}
