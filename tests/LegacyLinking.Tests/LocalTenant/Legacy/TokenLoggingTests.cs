using System.Net;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.LocalTenant.Legacy;

/// <summary>A tenant logging at Trace in every category, so anything it would ever log is seen.</summary>
public sealed class VerboseTenantFixture : ManagementTenantFixture
{
    public CapturingLoggerProvider Capture { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        .. base.ExtraSettings,
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
        new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace"),
        new("Logging:LogLevel:OpenIddict", "Trace"),
        new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Trace"),
    ];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(Capture);
    }
}

/// <summary>No token or client secret reaches the tenant's logs or log events, whichever flow carried it.</summary>
public sealed class TokenLoggingTests(VerboseTenantFixture tenant) : IClassFixture<VerboseTenantFixture>
{
    [Fact]
    public async Task Tokens_and_secrets_never_reach_a_log_line_or_a_log_event()
    {
        var api = tenant.Api;
        var server = await tenant.ServerTokenAsync();
        var (primaryId, primaryEmail, primary) = await tenant.NewSignedInUserAsync();
        var (secondaryId, secondaryEmail, secondary) = await tenant.NewSignedInUserAsync();

        // Every carrier: bearer (access and ID token), link_with, /unlink's body, /authorize's query.
        (await api.PostAsync(TenantApi.UserPath(primaryId, "/identities"), primary.IdToken, new { link_with = secondary.IdToken }))
            .IsSuccess(HttpStatusCode.Created);
        (await api.PostToTenantAsync("/unlink", TenantApi.Json(new { access_token = primary.AccessToken, user_id = secondaryId }))).IsSuccess();
        var step = await tenant.CreateDriver().LoginWithPasswordAsync(
            new AuthorizeRequest
            {
                Tenant = tenant.Url, Connection = TenantLoginDriver.DatabaseConnection, Prompt = "login",
                Extra = new Dictionary<string, string> { ["access_token"] = primary.AccessToken },
            }.ToUri(),
            secondaryEmail, ManagementTenantFixture.NewUserPassword);
        Assert.NotNull(step.Code);
        (await api.GetAsync("users-by-email?email=" + primaryEmail, server)).IsSuccess();

        var logEvents = (await api.GetAsync("logs?per_page=100", server)).IsSuccess().Text;
        var secrets = new[]
        {
            primary.AccessToken, primary.IdToken, secondary.AccessToken, secondary.IdToken, server,
            LocalTenantFixture.ClientSecret, ManagementTenantFixture.NewUserPassword, step.Code!,
        };
        Assert.True(tenant.Capture.Lines.Count > 50, "the capture sees the tenant's logging");
        foreach (var secret in secrets)
        {
            // A JWT's signature alone identifies it; look for it and for the whole value.
            var needle = secret.Contains('.') ? secret[(secret.LastIndexOf('.') + 1)..] : secret;
            var leak = tenant.Capture.Lines.FirstOrDefault(line => line.Contains(needle, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log line carries a secret: {leak?[..Math.Min(leak.Length, 300)]}");
            Assert.DoesNotContain(needle, logEvents, StringComparison.Ordinal);
        }
    }
}

/// <summary>The floors only raise levels: the seed's quiet configuration stays quiet.</summary>
public sealed class SecretSafeLoggingTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    [Theory]
    [InlineData("OpenIddict.Server.OpenIddictServerDispatcher", LogLevel.Warning)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)]
    [InlineData("LegacyLinking.LocalTenant.Hosting.BadRequestMiddleware", LogLevel.Information)]
    public void Configured_levels_apply_where_they_are_stricter_than_the_floor(string category, LogLevel lowestEnabled)
    {
        var logger = tenant.Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        Assert.True(logger.IsEnabled(lowestEnabled));
        Assert.False(logger.IsEnabled(lowestEnabled - 1));
    }
}

/// <summary>Floors against a configuration that asks for everything.</summary>
public sealed class SecretSafeLoggingFloorTests(VerboseTenantFixture tenant) : IClassFixture<VerboseTenantFixture>
{
    [Theory]
    [InlineData("OpenIddict.Server.OpenIddictServerDispatcher", LogLevel.Debug)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)]
    [InlineData("Microsoft.AspNetCore.Http.Result.RedirectResult", LogLevel.Warning)]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Trace)]
    public void A_verbose_configuration_is_floored_only_where_secrets_are_written(string category, LogLevel lowestEnabled)
    {
        var logger = tenant.Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        Assert.True(logger.IsEnabled(lowestEnabled));
        if (lowestEnabled > LogLevel.Trace) Assert.False(logger.IsEnabled(lowestEnabled - 1));
    }
}
