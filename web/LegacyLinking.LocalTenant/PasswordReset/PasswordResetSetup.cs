using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.PasswordReset;

/// <summary>
/// Auth0's "forgot password": <c>POST /dbconnections/change_password</c> and the login page's form send a reset link
/// to the outbox; the page at <c>/lo/reset?ticket=…</c> sets the new password.
/// </summary>
public static class PasswordResetSetup
{
    public static WebApplicationBuilder AddTenantPasswordReset(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PasswordResetTickets>();
        builder.Services.AddScoped<ChangePasswordRequests>();
        builder.Services.AddScoped<ClientHome>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTenantPasswordReset(this IEndpointRouteBuilder endpoints) => endpoints.MapChangePassword();
}
