using System.Net.Http.Json;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.LocalTenant.PasswordReset;

/// <summary>
/// With every category at Trace and the test controls on, a whole reset (the API request, the login page's form from a
/// legacy sign-in whose returnUrl holds an access token, a refused weak password, the new password) leaves no ticket,
/// password or token in a captured logger or the call log: the outbox is the one place the ticket is shown.
/// </summary>
public sealed class PasswordResetLoggingTests
{
    private sealed class VerboseTenant() : TestControlsTenantFixture(
    [
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
        new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace"),
        new("Logging:LogLevel:OpenIddict", "Trace"),
        new("Logging:LogLevel:LegacyLinking", "Trace"),
    ]);

    [Fact]
    public async Task A_whole_reset_leaves_no_ticket_or_password_in_the_logs()
    {
        const string weakPassword = "weakpassword1";
        const string newPassword = "Logged-Nowhere-Passw0rd";
        var ct = TestContext.Current.CancellationToken;
        await using var tenant = new VerboseTenant();
        await tenant.InitializeAsync();
        var logs = new CapturingLoggerProvider();
        tenant.Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        using var browser = tenant.CreateClient();
        var driver = tenant.CreateDriver(browser);

        (await browser.PostAsJsonAsync("/dbconnections/change_password",
            new { client_id = LocalTenantFixture.ClientId, email = Seeded.AdaEmail, connection = TenantLoginDriver.DatabaseConnection }, ct))
            .EnsureSuccessStatusCode();
        // A legacy linking sign-in (/authorize?access_token=…): the forgot-password links carry its returnUrl along.
        var john = await new TenantBearers(tenant).SignInAsync(Seeded.John);
        var login = await driver.ExpectLoginPageAsync(new AuthorizeRequest
        {
            Tenant = tenant.Url, Prompt = "login", Extra = new Dictionary<string, string> { ["access_token"] = john.AccessToken },
        }.ToUri());
        var forgot = await driver.FollowAsync(new HttpRequestMessage(HttpMethod.Get,
            new Uri(login.Uri, login.Page!.QuerySelector("[data-test='forgot-password']")!.GetAttribute("href"))));
        var sent = await driver.FollowAsync(forgot.Form("[data-test='forgot-email']").Set("forgot-email", Seeded.AdaEmail).Submit("forgot-submit"));
        var links = (await tenant.Controls.EmailsAsync(Seeded.AdaEmail)).Select(e => new Uri(e.GetProperty("link").GetString()!)).ToList();
        var page = await driver.OpenAsync(links[^1]);
        var refused = await driver.FollowAsync(page.Form("[data-test='reset-password']")
            .Set("reset-password", weakPassword).Set("reset-confirm", weakPassword).Submit("reset-submit"));
        var done = await driver.FollowAsync(refused.Form("[data-test='reset-password']")
            .Set("reset-password", newPassword).Set("reset-confirm", newPassword).Submit("reset-submit"));
        var signIn = await tenant.CreateDriver().LoginWithPasswordAsync(new AuthorizeRequest { Tenant = tenant.Url }.ToUri(), Seeded.AdaEmail, newPassword);

        Assert.Equal(2, links.Count);
        Assert.NotNull(sent.Page!.QuerySelector("[data-test='back-to-login']"));
        Assert.NotNull(done.Page!.QuerySelector("[data-test='reset-done']"));
        Assert.NotNull(signIn.Code);
        var tickets = links.Select(l => l.Query["?ticket=".Length..]).ToList();
        string[] secrets = [.. tickets, weakPassword, newPassword, john.AccessToken];
        Assert.True(logs.Lines.Count > 50, "the capture sees the tenant's logging");
        var leaks = logs.Lines.Where(line => secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "secrets in log lines:\n" + string.Join("\n", leaks.Take(3).Select(l => l[..Math.Min(l.Length, 300)])));
        var calls = await tenant.Controls.CallsTextAsync();
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, calls));
    }
}
