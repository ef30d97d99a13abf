using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// Auth0's "Allowed Origins (CORS)": a browser page at one of a client's <c>AllowedOrigins</c> may call the tenant's
/// APIs from JavaScript (auth0.js fetching the JWKS, calling <c>/userinfo</c> and the Management API with a user's
/// token). Pages anywhere else get no CORS headers, so their browsers keep the answers from them.
/// </summary>
public static class CorsSetup
{
    public const string PolicyName = "client-allowed-origins";

    public static WebApplicationBuilder AddTenantCors(this WebApplicationBuilder builder)
    {
        var origins = new List<string>();
        foreach (var client in TenantSettings.From(builder.Configuration).Clients)
        {
            foreach (var origin in client.AllowedOrigins)
            {
                if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                    || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
                {
                    throw new InvalidOperationException(
                        $"LocalTenant:Clients ({client.ClientId}) AllowedOrigins must hold origins such as http://127.0.0.1:5082; got '{origin}'.");
                }
                origins.Add(uri.GetLeftPart(UriPartial.Authority));
            }
        }

        builder.Services.AddCors(cors => cors.AddPolicy(PolicyName, policy => policy
            .WithOrigins([.. origins.Distinct()])
            .AllowAnyHeader()
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete)
            .WithExposedHeaders("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "Retry-After")));
        return builder;
    }
}
