namespace LegacyLinking.LocalTenant.Data;

/// <summary>An Auth0 connection (identity source). Upserted from configuration on every start.</summary>
public sealed class TenantConnection
{
    /// <summary>Auth0-style id, <c>con_</c> + 16 alphanumerics.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary><c>auth0</c> (database), <c>sms</c>, or the social provider (<c>google-oauth2</c>, <c>github</c>, <c>facebook</c>).</summary>
    public string Strategy { get; set; } = "";

    public bool IsDatabase => Strategy == Strategies.Database;
    public bool IsPasswordless => Strategy == Strategies.Sms;
    public bool IsSocial => !IsDatabase && !IsPasswordless;

    /// <summary>
    /// An email as Auth0 stores it for a user of this connection: lower-cased where Auth0 is the identity provider
    /// (database and passwordless connections), as the provider sent it otherwise (social connections).
    /// </summary>
    public string? StoredEmail(string? email) => IsSocial ? email : email?.ToLowerInvariant();

    public static class Strategies
    {
        public const string Database = "auth0";
        public const string Sms = "sms";
    }
}
