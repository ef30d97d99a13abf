using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Profile;


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
            })
            .AddCookieTempDataProvider(options => options.Cookie.Name = AuthSchemes.TempDataCookie);
        builder.Services.AddScoped<ProfileReader>();
        builder.Services.AddScoped<LegacyLinking.Web.Flags.FlagConsole>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthorizationPolicies.Qa, policy => policy.RequireClaim(LegacyLinking.Web.Flags.QaTargetingContextAccessor.GroupsClaim, "qa"));
        return builder;
    }

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        return app;
    }
}
