using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Linking.Flows;
using LegacyLinking.Web.Linking.Secondary;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class LinkingSetup
{
    /// <summary>The eight flows (keyed by their contract names), the guards, and the secondary account's own login.</summary>
    public static IHostApplicationBuilder AddLinking(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LinkingOptions>().BindConfiguration("Linking");

        services.AddKeyedScoped<ILinkFlow, AccessTokenLinkFlow>(LinkFlows.AccessToken);
        services.AddKeyedScoped<ILinkFlow, ServerTokenLinkFlow>(LinkFlows.ServerToken);
        services.AddKeyedScoped<ILinkFlow, LegacyIdTokenLinkFlow>(LinkFlows.LegacyIdToken);
        services.AddKeyedScoped<ILinkFlow, LegacyAuthorizeLinkFlow>(LinkFlows.LegacyAuthorize);
        services.AddKeyedScoped<IUnlinkFlow, AccessTokenUnlinkFlow>(UnlinkFlows.AccessToken);
        services.AddKeyedScoped<IUnlinkFlow, ServerTokenUnlinkFlow>(UnlinkFlows.ServerToken);
        services.AddKeyedScoped<IUnlinkFlow, LegacyIdTokenUnlinkFlow>(UnlinkFlows.LegacyIdToken);
        services.AddKeyedScoped<IUnlinkFlow, LegacyUnlinkEndpointFlow>(UnlinkFlows.LegacyUnlinkEndpoint);

        services.AddScoped<LinkingService>();
        services.AddScoped<SuggestionFinder>();
        services.AddScoped<PasswordResetReview>();
        services.AddScoped<PasswordResetAnswer>();
        services.AddSingleton<AttemptLog>();
        services.AddSingleton<ShadowCheck>();

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
