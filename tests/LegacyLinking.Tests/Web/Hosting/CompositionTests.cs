using LegacyLinking.Web.Hosting;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.PasswordReset;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Hosting;

public sealed class CompositionTests
{
    /// <summary>
    /// The recording-overhead benchmark composes the app without sign-in or pages (no browser there): the linking
    /// services must not need them. A dependency on a sign-in service once broke the benchmark at its first request.
    /// </summary>
    [Fact]
    public async Task The_linking_services_resolve_without_sign_in_or_pages()
    {
        var folder = Directory.CreateTempSubdirectory("ll-composition-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth0:Domain"] = "tenant.example.com",
            ["Auth0:ClientId"] = "client",
            ["Auth0:ClientSecret"] = "secret",
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(folder, "app.db")}",
        });
        builder.AddAuth0Configuration();
        builder.AddAppDatabase();
        builder.AddSessionStore();
        builder.AddAuth0Clients();
        builder.AddFeatureFlags();
        builder.AddMigrationTracking();
        builder.AddLinking();
        builder.AddPasswordResets();
        await using var app = builder.Build();

        await using var scope = app.Services.CreateAsyncScope();
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<LinkingService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PasswordResetReview>());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
