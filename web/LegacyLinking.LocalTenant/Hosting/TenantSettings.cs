using Microsoft.Extensions.Configuration;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The <c>LocalTenant</c> configuration section (seed file <c>localtenant.json</c>, overridable by settings).</summary>
public sealed class TenantSettings
{
    public const string SectionName = "LocalTenant";
    public const string DefaultDataPath = "App_Data/localtenant.db";

    public string? Url { get; set; }
    public string? DataPath { get; set; }
    public List<ClientSettings> Clients { get; set; } = [];
    public List<ConnectionSettings> Connections { get; set; } = [];

    /// <summary>Default tenant flags by name (<c>enable_idtoken_api2</c>, …); <c>PATCH /api/v2/tenants/settings</c> overrides them.</summary>
    public Dictionary<string, bool> Flags { get; set; } = [];

    public static TenantSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<TenantSettings>() ?? new TenantSettings();

    /// <summary>The SQLite file, absolute; relative paths are taken from the current directory, as a person running the tenant expects.</summary>
    public string ResolveDataPath() =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(DataPath) ? DefaultDataPath : DataPath);
}

public sealed class ClientSettings
{
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }
    public string? Name { get; set; }
    public List<string> RedirectUris { get; set; } = [];
    public List<string> AllowedLogoutUrls { get; set; } = [];

    /// <summary>Auth0's "Allowed Origins (CORS)": pages that may call the tenant from JavaScript (SPAs).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Auth0's grant types: <c>authorization_code</c>, <c>implicit</c>, <c>refresh_token</c>, <c>client_credentials</c>.</summary>
    public List<string> GrantTypes { get; set; } = [];
    public List<string> ManagementApiScopes { get; set; } = [];
}

public sealed class ConnectionSettings
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Strategy { get; set; } = "";
}

/// <summary>
/// One entry of <c>LocalTenant:Seed:Users</c>. Its <c>UserMetadata</c>/<c>AppMetadata</c> subsections are read as JSON
/// by the seeder (configuration has no JSON type to bind them to).
/// </summary>
public sealed class SeedUserSettings
{
    /// <summary>Auth0's <c>provider|id</c>; the provider part picks the connection unless <see cref="Connection"/> says otherwise.</summary>
    public string UserId { get; set; } = "";
    public string? Connection { get; set; }
    public string? Email { get; set; }
    public bool EmailVerified { get; set; }
    public string? Name { get; set; }
    public string? Nickname { get; set; }
    public string? Picture { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? PhoneNumber { get; set; }
    public bool PhoneVerified { get; set; }
    public string? Password { get; set; }
}
