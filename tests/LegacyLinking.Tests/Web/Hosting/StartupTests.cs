using LegacyLinking.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Web.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Without_a_domain_the_app_starts_the_local_tenant_itself()
    {
        var folder = Directory.CreateTempSubdirectory("ll-embedded-").FullName;
        var tenantPort = FreePort.Next();
        await using var app = await TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?>
        {
            ["LocalTenant:Url"] = $"http://127.0.0.1:{tenantPort}",
            ["LocalTenant:DataPath"] = Path.Combine(folder, "tenant.db"),
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(folder, "app.db")}",
        });

        using var http = new HttpClient();
        var discovery = await http.GetStringAsync($"http://127.0.0.1:{tenantPort}/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        Assert.Contains($"\"issuer\":\"http://127.0.0.1:{tenantPort}/\"", discovery.Replace(" ", ""));
    }

    [Theory]
    [InlineData("Auth0:Domain", "https://tenant.eu.auth0.com/api/v2")]
    [InlineData("LocalTenant:Url", "http://10.1.2.3:5081")]
    [InlineData("Auth0:Audience", "not a url")]
    public async Task A_malformed_setting_stops_the_start_naming_its_key(string key, string value)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key == "Auth0:Domain") settings["Auth0:ClientId"] = settings["Auth0:ClientSecret"] = "x";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(FreePort.Next(), settings));
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains($"'{key}'", validation.Message);
    }

    [Fact]
    public async Task A_catalogued_flow_missing_from_its_flags_variants_stops_the_start_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?>
        {
            ["feature_management:feature_flags:0:variants:3:name"] = "Bogus", // LinkFlow's LegacyAuthorize
        }));
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("Configuration 'feature_management:feature_flags:0:variants' is invalid", validation.Message);
        Assert.Contains("missing LegacyAuthorize", validation.Message);
        Assert.Contains("'Bogus' is no LinkFlow flow", validation.Message);
    }

    [Theory]
    [InlineData("Database:Provider", "mysql")]
    [InlineData("OpenTelemetry:Exporter", "prometheus")]
    [InlineData("Migration:DepnotePollSeconds", "-1")]
    [InlineData("Migration:DepnotePollSeconds", "1m")]
    [InlineData("Migration:DepnoteMaxCallsPerMinute", "0")]
    [InlineData("Migration:DepnoteMaxCallsPerMinute", "601")]
    [InlineData("Migration:DepnoteLookbackDays", "31")]
    [InlineData("Sessions:Store", "redis")]
    [InlineData("Sessions:AccessTokenRefreshSeconds", "-1")]
    [InlineData("Sessions:AccessTokenRefreshSeconds", "5m")]
    [InlineData("Sessions:AccessTokenRefreshRetrySeconds", "3601")]
    public async Task A_setting_out_of_its_choices_or_range_stops_the_start_naming_key_and_value(string key, string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?> { [key] = value }));
        Assert.Equal($"Configuration '{key}' is invalid: got '{value}', expected ", error.Message[..(error.Message.IndexOf("expected ", StringComparison.Ordinal) + 9)]);
    }
}
