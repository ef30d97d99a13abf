using LegacyLinking.Web.Hosting;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Auth0;

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

/// <summary>Runs at start (ValidateOnStart) so a bad Auth0 section never reaches the first request.</summary>
public sealed class Auth0OptionsValidator(IOptions<LocalTenantOptions> localTenant) : IValidateOptions<Auth0Options>
{
    public ValidateOptionsResult Validate(string? name, Auth0Options options)
    {
        var failures = new List<string>();
        try
        {
            if (string.IsNullOrWhiteSpace(options.Domain))
                TenantAddress.ParseLocalTenantUrl(localTenant.Value.Url);
            else
            {
                TenantAddress.ParseDomain(options.Domain);
                if (string.IsNullOrWhiteSpace(options.ClientId))
                    failures.Add("Configuration 'Auth0:ClientId' is required when 'Auth0:Domain' is set.");
                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                    failures.Add("Configuration 'Auth0:ClientSecret' is required when 'Auth0:Domain' is set (the app uses the code flow and a client-credentials token).");
            }
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }
        if (!string.IsNullOrWhiteSpace(options.Audience)
            && !(Uri.TryCreate(options.Audience, UriKind.Absolute, out var audience) && audience.Scheme is "http" or "https"))
            failures.Add($"Configuration 'Auth0:Audience' is invalid: got '{options.Audience}', expected an absolute URL such as https://tenant.eu.auth0.com/api/v2/.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
