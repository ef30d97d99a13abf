using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Linking.Secondary;
using LegacyLinking.Web.Linking.StepUp;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class LinkingSetup
{
    /// <summary>The catalogue's flows (keyed by their contract names), the guards, and the secondary account's own login.</summary>
    public static IHostApplicationBuilder AddLinking(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddSettings<LinkingOptions>(LinkingOptions.Section);

        foreach (var flow in FlowCatalogue.All)
            services.AddKeyedScoped(flow.Contract, flow.Name, flow.Implementation);
        services.AddSingleton<IValidateOptions<Flags.FlagSettings>, FlowCatalogueCheck>();

        services.AddScoped<LinkingService>();
        services.AddScoped<LinkPreparation>();
        services.AddScoped<SuggestionFinder>();
        services.AddSingleton<ShadowCheck>();
        services.AddSingleton<ProtectedSessionItems>();
        services.AddSingleton<LinkCallbackResults>();
        services.AddSingleton<StepUpGate>();

        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, SecondaryLoginOptions>();
        services.AddAuthentication()
            .AddOpenIdConnect(AuthSchemes.Auth0Link, _ => { })
            .AddCookie(AuthSchemes.LinkGuard, options =>
            {
                options.Cookie.Name = "ll_app_link_guard";
                options.Events.OnSigningIn = _ => throw new InvalidOperationException(
                    "A secondary account's login must never become a session.");
            });
        return builder;
    }
}
