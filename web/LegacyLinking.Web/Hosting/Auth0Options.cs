namespace LegacyLinking.Web.Hosting;

/// <summary>The <c>Auth0</c> configuration section.</summary>
public sealed class Auth0Options
{
    public const string Section = "Auth0";

    /// <summary><c>tenant.eu.auth0.com</c>, or a full <c>http(s)://host:port</c>; empty starts the local tenant.</summary>
    public string? Domain { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>Management API audience; defaults to <c>{authority}/api/v2/</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// How long the profile page may show a user (and the accounts sharing their email) read from the tenant before
    /// reading again; this app's own changes to the user are seen at once. 0 reads on every view.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 300)]
    public int UserCacheSeconds { get; set; } = 30;
}

/// <summary>The <c>LocalTenant</c> configuration section, read by the app only to start the embedded tenant.</summary>
public sealed class LocalTenantOptions
{
    public const string Section = "LocalTenant";
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public string? Url { get; set; }
    public string? DataPath { get; set; }

    /// <summary>Start the embedded tenant outside the Development environment too (<see cref="LocalTenantSetup"/>).</summary>
    public bool Enabled { get; set; }

    /// <summary>The embedded tenant's SQLite file: <see cref="DataPath"/>, or <c>App_Data/localtenant.db</c> under the content root.</summary>
    public string ResolveDataPath(IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(DataPath) ? Path.Combine(environment.ContentRootPath, "App_Data", "localtenant.db") : DataPath;
}
