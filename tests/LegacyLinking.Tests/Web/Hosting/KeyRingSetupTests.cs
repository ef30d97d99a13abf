using LegacyLinking.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LegacyLinking.Tests.Web.Hosting;

/// <summary>
/// The key ring is read beside the start, not before it: the app takes Data Protection's own loader out of the hosted
/// services, found by its type's name (internal to the framework). A framework update that renames it would leave the
/// loader in place, every start slower again, and nothing else would say so.
/// </summary>
public sealed class KeyRingSetupTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    [Fact]
    public void Data_protections_own_key_ring_loader_is_not_among_the_hosted_services_the_app_starts()
    {
        var hosted = stack.App.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.NotEmpty(hosted);
        Assert.DoesNotContain(hosted, type => type.Assembly == typeof(DataProtectionOptions).Assembly);
    }
}
