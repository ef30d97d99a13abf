using System.Net.Http.Json;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary>
/// With the test controls on (call log, faults, mutations all in the pipeline) and every category at Trace, a sign-in,
/// code redemption, a mutated ID token, Management API and legacy calls (tokens in headers, bodies and the query)
/// leave no JWT (<c>eyJ…</c>) in a captured logger or in <c>/test/calls</c>.
/// </summary>
public sealed class NoTokensInLogsTests
{
    private sealed class VerboseTestControlsTenant() : TestControlsTenantFixture(
    [
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
        new("Logging:LogLevel:OpenIddict", "Trace"),
        new("Logging:LogLevel:LegacyLinking", "Trace"),
    ]);

    [Fact]
    public async Task Login_token_API_and_legacy_calls_leave_no_token_in_logs_or_the_call_log()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var tenant = new VerboseTestControlsTenant();
        await tenant.InitializeAsync();
        var logs = new CapturingLoggerProvider();
        tenant.Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        using var client = tenant.CreateClient();
        var api = new TenantApi(client, new Uri(tenant.Url));
        var bearers = new TenantBearers(tenant);

        await tenant.Controls.MutateNextIdTokenAsync("email_verified-string");
        var john = await bearers.SignInAsync(Seeded.John);
        var server = await bearers.ClientCredentialsAsync();
        await api.GetAsync(TenantApi.UserPath(Seeded.John), john.AccessToken);
        await api.GetAsync(TenantApi.UserPath(Seeded.John), john.IdToken);
        await api.PostAsync(TenantApi.UserPath(Seeded.John, "/identities"), server, new { link_with = john.IdToken });
        await api.GetAsync("users/x", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        await tenant.CreateTokenClient(client).UserInfoAsync(john.AccessToken);
        await client.PostAsJsonAsync("/unlink", new { access_token = john.AccessToken, user_id = "github|0" }, ct);
        await client.GetAsync(new AuthorizeRequest
        {
            Tenant = tenant.Url, Connection = "github", Extra = new Dictionary<string, string> { ["access_token"] = john.AccessToken },
        }.ToUri(), ct);

        Assert.False(Jwt.AppearsIn(await tenant.Controls.CallsTextAsync()));
        Assert.True(logs.Lines.Count > 50, "the capture sees the tenant's logging");
        var leaks = logs.Lines.Where(line => Jwt.AppearsIn(line)
            || line.Contains(LocalTenantFixture.ClientSecret, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "token material in log lines:\n" + string.Join("\n", leaks.Take(3).Select(l => l[..Math.Min(l.Length, 300)])));
    }
}
