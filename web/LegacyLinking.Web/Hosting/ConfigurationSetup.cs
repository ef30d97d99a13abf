using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class ConfigurationSetup
{
    /// <summary>Binds and validates the Auth0 and LocalTenant sections; a bad value fails the start naming its key.</summary>
    public static IHostApplicationBuilder AddAuth0Configuration(this IHostApplicationBuilder builder)
    {
        builder.AddSettings<LocalTenantOptions>(LocalTenantOptions.Section);
        builder.AddSettings<Auth0Options>(Auth0Options.Section);
        builder.Services.AddSingleton<IValidateOptions<Auth0Options>, Auth0OptionsValidator>();
        builder.Services.AddSingleton<Auth0Tenant>();
        builder.Services.AddSingleton<TenantTrust>();
        return builder;
    }
}
