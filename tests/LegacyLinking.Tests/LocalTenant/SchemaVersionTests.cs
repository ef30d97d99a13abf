using LegacyLinking.LocalTenant.Data;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>No migrations for the demo tenant: a database from another schema version is recreated from the seed.</summary>
public sealed class SchemaVersionTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    [Fact]
    public async Task A_database_with_another_schema_version_is_recreated_from_the_seed_on_start()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = new TenantSession(tenant);
        var signUp = await session.Driver.SignUpAsync(session.Request().ToUri(), "gone@example.com", "Gone-Passw0rd");
        Assert.NotNull(signUp.Code);
        await using (var scope = tenant.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
            await db.Meta.Where(m => m.Key == "schema_version").ExecuteUpdateAsync(m => m.SetProperty(x => x.Value, "0"), ct);
        }

        await tenant.RestartAsync();

        await using (var scope = tenant.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
            Assert.False(await db.Users.AnyAsync(u => u.Email == "gone@example.com", ct));
            Assert.True(await db.Users.AnyAsync(u => u.UserId == Seeded.John, ct));
            Assert.Equal(TenantDatabase.SchemaVersion.ToString(), (await db.Meta.SingleAsync(m => m.Key == "schema_version", ct)).Value);
        }
    }
}
