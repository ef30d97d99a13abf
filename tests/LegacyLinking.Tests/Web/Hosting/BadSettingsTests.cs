using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>
/// The app started as its own process with one bad setting: it stops at once with exit code 1 and a single line on
/// standard error naming the key, the value and what is expected (never an abort, never a start that then fails every
/// request).
/// </summary>
public sealed class BadSettingsTests
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        { "Linking:MaxSecondaryLoginAgeSeconds", "abc", "a whole number from 10 to 3600" },
        { "Linking:MaxSecondaryLoginAgeSeconds", "3601", "a whole number from 10 to 3600" },
        { "Linking:PrimaryReauthenticationSeconds", "abc", "a whole number from 1 to 86400" },
        { "Linking:PrimaryReauthenticationSeconds", "0", "a whole number from 1 to 86400" },
        { "Auth0:Http:MaxRetryAttempts", "abc", "a whole number from 1 to 10" },
        { "Auth0:Http:MaxRetryAttempts", "-1", "a whole number from 1 to 10" },
        { "Auth0:Http:MaxRetryAttempts", "0", "a whole number from 1 to 10" },
        { "Auth0:Http:MaxRetryDelaySeconds", "-1", "a number from 0.1 to 300" },
        { "Auth0:Http:AttemptTimeoutSeconds", "abc", "a number from 0.1 to 600" },
        { "Auth0:Http:AttemptTimeoutSeconds", "-1", "a number from 0.1 to 600" },
        { "Auth0:Http:AttemptTimeoutSeconds", "0", "a number from 0.1 to 600" },
        { "Auth0:Http:TotalTimeoutSeconds", "0", "a number from 0.1 to 3600" },
        { "Migration:QueueCapacity", "0", "a whole number from 1 to 1000000" },
        { "Migration:WriterLingerMilliseconds", "1s", "a whole number from 0 to 60000" },
        { "Migration:DepnotePollSeconds", "-1", "a whole number from 0 to 86400" },
        { "Migration:DepnoteLookbackDays", "31", "a whole number from 0 to 30" },
        { "Migration:DepnoteMaxCallsPerMinute", "0", "a whole number from 1 to 600" },
        { "Migration:Recording", "maybe", "true or false" },
        { "Sessions:Store", "redis", "Memory or Database" },
        { "Ramp:IntervalSeconds", "0", "a whole number from 1 to 3600" },
        { "Ramp:LeaseSeconds", "1", "a whole number from 2 to 86400" },
        { "Ramp:LeaseSeconds", "10", "more than Ramp:IntervalSeconds (15), or the lease lapses between two runs and another instance takes it" },
        { "Ramp:Engine", "maybe", "true or false" },
        { "Sessions:AccessTokenRefreshSeconds", "5m", "a whole number from 0 to 86400" },
        { "Sessions:AccessTokenRefreshRetrySeconds", "3601", "a whole number from 0 to 3600" },
        { "Database:Provider", "mysql", "Sqlite or Postgres or PostgreSQL" },
        { "Auth0:UserCacheSeconds", "301", "a whole number from 0 to 300" },
        { "Auth0:UserCacheSeconds", "-1", "a whole number from 0 to 300" },
        { "DataProtection:KeyDirectory", "keys", "an absolute path to a folder every instance shares" },
        { "DataProtection:KeyDirectory", "/proc/legacylinking-keys", "a folder this app can create and write to" },
        { "DataProtection:CertificatePath", "/nonexistent/keys.pfx", "a readable PKCS#12 (.pfx) file with a private key, opened by 'DataProtection:CertificatePassword'" },
        { "OpenTelemetry:Exporter", "prometheus", "None or Console or Otlp" },
        { "OpenTelemetry:Otlp:Endpoint", "collector:4317", "an absolute http(s) URL such as http://127.0.0.1:4317" },
        { "LocalTenant:Url", "http://10.1.2.3:5081", "an http(s) URL on a loopback address, e.g. http://127.0.0.1:5081" },
        { "Auth0:Audience", "not a url", "an absolute URL such as https://tenant.eu.auth0.com/api/v2/" },
        { "feature_management:feature_flags:2:enabled", "perhaps", "true or false" },
        { "feature_management:feature_flags:1:telemetry:enabled", "false", "true (the reason recorded for each request's flag value comes from the flag's telemetry)" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_stops_the_start_with_exit_code_1_and_one_line_naming_key_value_and_expectation(string key, string value, string expected)
    {
        var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });
        Assert.Equal([$"Configuration '{key}' is invalid: got '{value}', expected {expected}."], exit.ErrorLines);
        Assert.Equal(1, exit.Code);
    }

    [Fact]
    public async Task A_malformed_domain_stops_the_start_naming_it()
    {
        var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Auth0:Domain"] = "https://tenant.eu.auth0.com/api/v2", ["Auth0:ClientId"] = "client", ["Auth0:ClientSecret"] = "secret",
        });
        Assert.Equal(["Configuration 'Auth0:Domain' is invalid: got 'https://tenant.eu.auth0.com/api/v2', expected a host name such as tenant.eu.auth0.com or a URL http(s)://host[:port] without a path."], exit.ErrorLines);
        Assert.Equal(1, exit.Code);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_the_start_naming_it()
    {
        var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:LegacyLinking"] = "" });
        Assert.Equal(["Configuration 'ConnectionStrings:LegacyLinking' is missing: expected a PostgreSQL connection string when 'Database:Provider' is Postgres."], exit.ErrorLines);
        Assert.Equal(1, exit.Code);
    }

    [Fact]
    public async Task A_flag_without_its_definition_stops_the_start_naming_it()
    {
        var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["feature_management:feature_flags:2:id"] = "Renamed" }); // SuggestedLinking
        Assert.Equal(["Configuration 'feature_management:feature_flags' is missing: expected a flag with \"id\": \"SuggestedLinking\"."], exit.ErrorLines);
        Assert.Equal(1, exit.Code);
    }

    [Fact]
    public async Task A_catalogued_flow_missing_from_its_flags_variants_stops_the_start_naming_it()
    {
        var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["feature_management:feature_flags:1:variants:3:name"] = "Bogus" }); // UnlinkFlow's LegacyUnlinkEndpoint
        Assert.Equal(["Configuration 'feature_management:feature_flags:1:variants' is invalid: got 'AccessToken, ServerToken, LegacyIdToken, Bogus', "
            + "expected one variant per UnlinkFlow flow: AccessToken, ServerToken, LegacyIdToken, LegacyUnlinkEndpoint (missing LegacyUnlinkEndpoint; 'Bogus' is no UnlinkFlow flow)."], exit.ErrorLines);
        Assert.Equal(1, exit.Code);
    }

    [Fact]
    public async Task Started_from_another_folder_without_its_appsettings_it_stops_naming_the_missing_file()
    {
        var elsewhere = Directory.CreateTempSubdirectory("ll-elsewhere-").FullName;
        try
        {
            var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>(), workingDirectory: elsewhere);
            Assert.Equal([$"Configuration 'feature_management' is missing: expected the definitions of LinkFlow, UnlinkFlow, SuggestedLinking, MergeMetadata, ShadowCheck "
                + $"(there is no {Path.Combine(elsewhere, "appsettings.json")}: start the app from its folder or set --contentRoot)."], exit.ErrorLines);
            Assert.Equal(1, exit.Code);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
