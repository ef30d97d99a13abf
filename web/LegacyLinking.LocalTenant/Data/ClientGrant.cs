namespace LegacyLinking.LocalTenant.Data;

/// <summary>Auth0's client grant: the API scopes a client may obtain with client_credentials.</summary>
public sealed class ClientGrant
{
    public long Id { get; set; }
    public string ClientId { get; set; } = "";
    public string Audience { get; set; } = "";

    /// <summary>Space-separated, in configuration order.</summary>
    public string Scope { get; set; } = "";
}
