using LegacyLinking.Web.Auth0;

namespace LegacyLinking.Web.Hosting;

public static class Auth0ClientSetup
{
    /// <summary>Typed clients for the tenant's Authentication and Management APIs.</summary>
    public static IHostApplicationBuilder AddAuth0Clients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<AuthenticationApiClient>((services, http) =>
        {
            http.BaseAddress = new Uri(services.GetRequiredService<Auth0Tenant>().AuthorityText + "/");
            http.Timeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }
}
