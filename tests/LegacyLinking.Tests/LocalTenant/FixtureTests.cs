using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>The fixture's own promises, which the app's tests rely on.</summary>
public sealed class FixtureTests
{
    [Fact]
    public async Task Client_redirects_can_be_pointed_at_an_app_and_the_temp_folder_is_removed()
    {
        const string app = "http://127.0.0.1:45999";
        var tenant = await LocalTenantFixture.StartAsync(LocalTenantFixture.ClientRedirectsTo(app));
        var folder = tenant.DataDirectory;
        try
        {
            var session = new TenantSession(tenant);
            var request = session.Request(r => r with { RedirectUri = app + "/link/callback" });
            var step = await session.ContinueAsAsync(request, Seeded.AdaGithub);
            Assert.StartsWith(app + "/link/callback?", step.RedirectTarget!.ToString());
            Assert.True(File.Exists(tenant.DataPath));
        }
        finally
        {
            await tenant.DisposeAsync();
        }
        Assert.False(Directory.Exists(folder));
    }
}
