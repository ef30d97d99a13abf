using System.Security.Cryptography;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.LocalTenant.Keys;

/// <summary>
/// The RS256 signing key (published in the JWKS) and the AES key OpenIddict encrypts codes and refresh tokens with.
/// Generated on first start and kept in the database, so tokens issued before a restart still validate after it.
/// </summary>
public sealed class TenantKeyStore(IServiceScopeFactory scopes, TenantDatabase database, TimeProvider clock)
{
    private readonly Lazy<TenantKeys> _keys = new(() => Load(scopes, database, clock));

    public TenantKeys Keys => _keys.Value;

    private static TenantKeys Load(IServiceScopeFactory scopes, TenantDatabase database, TimeProvider clock)
    {
        StartupTimeline.Mark("tenant: keys load");
        database.EnsureInitialized();
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();

        var signing = db.Keys.AsNoTracking().Where(k => k.Use == StoredKey.Uses.Signing).OrderBy(k => k.CreatedAt).FirstOrDefault()
            ?? Add(db, StoredKey.Uses.Signing, NewRsaKey(), clock);
        var encryption = db.Keys.AsNoTracking().Where(k => k.Use == StoredKey.Uses.Encryption).OrderBy(k => k.CreatedAt).FirstOrDefault()
            ?? Add(db, StoredKey.Uses.Encryption, RandomNumberGenerator.GetBytes(32), clock);

        StartupTimeline.Mark("tenant: keys read/made");
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(signing.Material), out _);
        return new TenantKeys(
            new RsaSecurityKey(rsa) { KeyId = signing.Id },
            new SymmetricSecurityKey(Convert.FromBase64String(encryption.Material)) { KeyId = encryption.Id });
    }

    private static byte[] NewRsaKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKey();
    }

    private static StoredKey Add(TenantDbContext db, string use, byte[] material, TimeProvider clock)
    {
        var key = new StoredKey
        {
            // Auth0 kids are opaque base64url strings; any stable unique value does.
            Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            Use = use,
            Material = Convert.ToBase64String(material),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Keys.Add(key);
        db.SaveChanges();
        return key;
    }
}

public sealed record TenantKeys(RsaSecurityKey Signing, SymmetricSecurityKey Encryption);
