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
    [InlineData("groups")]
    [InlineData("Roles")]
    [InlineData("permissions")]
    public async Task An_app_metadata_key_that_grants_access_cannot_be_listed_for_the_merge(string key)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?>
        {
            ["Linking:MergeAppMetadataKeys:0"] = "plan",
            ["Linking:MergeAppMetadataKeys:1"] = key,
        }));
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains($"Configuration 'Linking:MergeAppMetadataKeys' is invalid: got '{key}', expected keys that grant no access", validation.Message);
        Assert.DoesNotContain("'plan'", validation.Message);
    }

    [Theory]
    [InlineData("Linking:PrimaryReauthenticationSeconds", "0")]
    [InlineData("Linking:MaxSecondaryLoginAgeSeconds", "3601")]
    public async Task A_linking_window_out_of_range_stops_the_start_naming_it(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(FreePort.Next(), new Dictionary<string, string?> { [key] = value }));
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains($"Configuration '{key}' is invalid: got '{value}'", validation.Message);
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

/// <summary>
/// The app as a real process, as a deployment starts it: without Auth0:Domain outside Development it refuses to start
/// the embedded tenant (its users' passwords are in the repository) unless LocalTenant:Enabled=true says so.
/// </summary>
public sealed class EmbeddedTenantStartupTests
{
    [Fact]
    public async Task Outside_development_without_a_domain_the_start_fails_with_exit_code_1_and_one_line_naming_the_key()
    {
        var run = await AppProcess.RunAsync("Production", new Dictionary<string, string>(), TimeSpan.FromSeconds(60));
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Configuration 'LocalTenant:Enabled' is not true", line);
    }

    [Theory]
    [InlineData("Production", "true")]
    [InlineData("Development", null)]
    public async Task Enabled_or_in_development_it_starts_the_embedded_tenant(string environment, string? enabled)
    {
        var settings = enabled is null ? new Dictionary<string, string>() : new() { ["LocalTenant__Enabled"] = enabled };
        var run = await AppProcess.RunAsync(environment, settings, TimeSpan.FromSeconds(90), untilStdout: "started the embedded local tenant");
        Assert.True(run.Matched, $"exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
    }
}

/// <summary>LegacyLinking.Web started with <c>dotnet</c> from the test's output folder, on free loopback ports and a temp folder.</summary>
internal static class AppProcess
{
    public sealed record Run(int? ExitCode, string Stdout, string Stderr, bool Matched);

    public static async Task<Run> RunAsync(string environment, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, string? untilStdout = null)
    {
        var folder = Directory.CreateTempSubdirectory("ll-process-").FullName;
        var bin = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(bin, "LegacyLinking.Web.dll")])
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["Urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["Auth0__Domain"] = "";
        start.Environment["LocalTenant__Url"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["LocalTenant__DataPath"] = Path.Combine(folder, "tenant.db");
        start.Environment["ConnectionStrings__LegacyLinking"] = $"Data Source={Path.Combine(folder, "app.db")}";
        start.Environment["Migration__DepnotePollSeconds"] = "0";
        foreach (var (key, value) in settings) start.Environment[key] = value;

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var matched = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (untilStdout is not null && e.Data.Contains(untilStdout, StringComparison.Ordinal)) matched.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync(TestContext.Current.CancellationToken);
            await Task.WhenAny(exited, matched.Task, Task.Delay(timeout, TestContext.Current.CancellationToken));
            if (exited.IsCompleted) await process.WaitForExitAsync(); // drain the output
            lock (stdout) lock (stderr)
                return new Run(process.HasExited ? process.ExitCode : null, stdout.ToString(), stderr.ToString(), matched.Task.IsCompleted);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
