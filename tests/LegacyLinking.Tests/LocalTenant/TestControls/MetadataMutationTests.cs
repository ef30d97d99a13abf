using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.TestControls;

/// <summary><c>/test/metadata</c>: the discovery document's issuer and the key set change while on, and only then.</summary>
public sealed class MetadataMutationTests(TestControlsTenantFixture tenant) : TestControlsTestBase(tenant)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Isso_changes_the_discovery_issuer_until_cleared()
    {
        Assert.Equal(Tenant.Issuer, (await DiscoveryAsync()).GetProperty("issuer").GetString());

        await Tenant.Controls.SetMetadataMutationAsync("isso");
        Assert.Equal("https://another-tenant.eu.auth0.com/", (await DiscoveryAsync()).GetProperty("issuer").GetString());
        Assert.Single(await KidsAsync()); // the key set is left alone

        await Tenant.Controls.ClearMetadataMutationsAsync();
        Assert.Equal(Tenant.Issuer, (await DiscoveryAsync()).GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task The_extra_key_comes_first_in_the_key_set_and_a_reset_removes_it()
    {
        var signing = Assert.Single(await KidsAsync());

        await Tenant.Controls.SetMetadataMutationAsync("jwks-extra-key");
        Assert.Equal(["extra-key-that-signs-nothing", signing], await KidsAsync());
        Assert.Equal(Tenant.Issuer, (await DiscoveryAsync()).GetProperty("issuer").GetString());

        await Tenant.Controls.ResetAsync();
        Assert.Equal([signing], await KidsAsync());
    }

    [Fact]
    public async Task An_unknown_metadata_mutation_is_a_400_naming_the_known_ones()
    {
        using var response = await Client.PostAsJsonAsync("/test/metadata", new { mutation = "nope" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("isso, jwks-extra-key", await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> DiscoveryAsync() =>
        JsonDocument.Parse(await Client.GetStringAsync("/.well-known/openid-configuration", Ct)).RootElement;

    private async Task<string?[]> KidsAsync() =>
        [.. JsonDocument.Parse(await Client.GetStringAsync("/.well-known/jwks.json", Ct)).RootElement
            .GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())];
}
