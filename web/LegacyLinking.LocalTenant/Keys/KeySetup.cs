using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace LegacyLinking.LocalTenant.Keys;

/// <summary>Gives OpenIddict the persisted signing (RS256) and encryption (A256KW) keys instead of ephemeral ones.</summary>
public static class KeySetup
{
    public static WebApplicationBuilder AddTenantKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TenantKeyStore>();
        // Keys come from the database, which exists only once the app is built; OpenIddict reads its options lazily after that.
        builder.Services.AddOptions<OpenIddictServerOptions>().Configure<TenantKeyStore>((options, store) =>
        {
            options.SigningCredentials.Add(new SigningCredentials(store.Keys.Signing, SecurityAlgorithms.RsaSha256));
            options.EncryptionCredentials.Add(new EncryptingCredentials(
                store.Keys.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });
        return builder;
    }
}
