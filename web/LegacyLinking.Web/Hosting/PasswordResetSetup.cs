using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.PasswordReset;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Hosting;

public static class PasswordResetSetup
{
    /// <summary>
    /// The app's answer to a password reset at the tenant: linked identities come off and older sessions end, checked
    /// on every authenticated request (the cookie's validation asks <see cref="PasswordResetCheck"/>), and no link or
    /// unlink runs before it (<see cref="IPasswordResetGate"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPasswordResets(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<PasswordResetReview>();
        services.AddScoped<IPasswordResetGate>(sp => sp.GetRequiredService<PasswordResetReview>());
        services.AddScoped<PasswordResetAnswer>();
        services.AddSingleton(sp => new PasswordResetCheckInterval(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SessionsOptions>>().Value.PasswordResetCheckSeconds)));
        // Scoped: it holds a typed HttpClient, which must not live as long as a singleton.
        services.AddScoped<PasswordResetCheck>();
        return builder;
    }
}
