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
}
