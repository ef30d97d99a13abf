using System.Net.Http.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary>
/// Tokens reach neither a log line nor the call log: a whole sign-in, code redemption, Management API and legacy calls
/// (tokens in headers, bodies and the query) leave no JWT (<c>eyJ…</c>) in what a logger or <c>/test/calls</c> shows.
/// </summary>
public sealed class NoTokensInLogsTests
{

    [Fact]
    public async Task Login_token_API_and_legacy_calls_leave_no_token_in_logs_or_the_call_log()
    {
        var ct = TestContext.Current.CancellationToken;
        using var logs = new LogCapture();
        await using var tenant = new TestControlsTenantFixture();
        await tenant.InitializeAsync();
        using var client = tenant.CreateClient();
        var api = new TenantApi(client, new Uri(tenant.Url));
        var bearers = new TenantBearers(tenant);

        var john = await bearers.SignInAsync(Seeded.GoogleSub);
        var server = await bearers.ClientCredentialsAsync();
        await api.GetAsync(TenantApi.UserPath(Seeded.GoogleSub), john.AccessToken);
        await api.GetAsync(TenantApi.UserPath(Seeded.GoogleSub), john.IdToken);
        await api.PostAsync(TenantApi.UserPath(Seeded.GoogleSub, "/identities"), server, new { link_with = john.IdToken });
        await api.GetAsync("users/x", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        await tenant.CreateTokenClient(client).UserInfoAsync(john.AccessToken);
        await client.PostAsJsonAsync("/unlink", new { access_token = john.AccessToken, user_id = "github|0" }, ct);
        await client.GetAsync(new AuthorizeRequest
        {
            Tenant = tenant.Url, Connection = "github", Extra = new Dictionary<string, string> { ["access_token"] = john.AccessToken },
        }.ToUri(), ct);

        var callLog = await tenant.Controls.CallsTextAsync();
        Assert.DoesNotContain("eyJ", callLog);
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, line => line.Category.StartsWith("OpenIddict.Server", StringComparison.Ordinal));
        var leaks = logs.AsConfiguredByTheSeed.Select(l => l.Text).Where(line => line.Contains("eyJ", StringComparison.Ordinal)
            || line.Contains(LocalTenantFixture.ClientSecret, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "token material in log lines:\n" + string.Join("\n", leaks.Take(5)));
    }
}
