namespace LegacyLinking.LocalTenant.Data;

/// <summary>Key material kept in the database so tokens, codes and refresh tokens survive a restart.</summary>
public sealed class StoredKey
{
    /// <summary>The JWKS <c>kid</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Uses.Signing"/> or <see cref="Uses.Encryption"/>.</summary>
    public string Use { get; set; } = "";

    /// <summary>PKCS#8 private key (RSA) or raw key bytes (AES), base64.</summary>
    public string Material { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    public static class Uses
    {
        public const string Signing = "sig";
        public const string Encryption = "enc";
    }
}
