using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Web.Auth0;

public sealed class TenantAddressTests
{
    [Theory]
    [InlineData("tenant.eu.auth0.com", "https://tenant.eu.auth0.com/")]
    [InlineData("Tenant.EU.auth0.com", "https://tenant.eu.auth0.com/")]
    [InlineData("https://tenant.eu.auth0.com", "https://tenant.eu.auth0.com/")]
    [InlineData("https://tenant.eu.auth0.com/", "https://tenant.eu.auth0.com/")]
    [InlineData("http://127.0.0.1:5081", "http://127.0.0.1:5081/")]
    public void Domain_accepts_a_host_or_an_origin(string domain, string authority) =>
        Assert.Equal(authority, TenantAddress.ParseDomain(domain).ToString());

    [Theory]
    [InlineData("https://tenant.eu.auth0.com/api/v2")]
    [InlineData("ftp://tenant.eu.auth0.com")]
    [InlineData("tenant")]
    [InlineData("tenant.eu.auth0.com/path")]
    [InlineData("https://user:pw@tenant.eu.auth0.com")]
    [InlineData("ten ant.auth0.com")]
    public void Malformed_domain_names_its_key(string domain)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TenantAddress.ParseDomain(domain));
        Assert.Contains("'Auth0:Domain'", error.Message);
    }

    [Theory]
    [InlineData("http://10.0.0.5:5081")]
    [InlineData("http://example.com:5081")]
    [InlineData("not a url")]
    public void Local_tenant_must_listen_on_loopback(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TenantAddress.ParseLocalTenantUrl(url));
        Assert.Contains("'LocalTenant:Url'", error.Message);
    }

    [Fact]
    public void A_real_domain_needs_client_credentials()
    {
        var validator = new Auth0OptionsValidator(Options.Create(new LocalTenantOptions()));
        var result = validator.Validate(null, new Auth0Options { Domain = "tenant.eu.auth0.com" });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("'Auth0:ClientId'"));
        Assert.Contains(result.Failures!, f => f.Contains("'Auth0:ClientSecret'"));
    }

    [Fact]
    public void The_embedded_tenant_needs_nothing()
    {
        var validator = new Auth0OptionsValidator(Options.Create(new LocalTenantOptions()));
        Assert.True(validator.Validate(null, new Auth0Options()).Succeeded);
    }

    [Fact]
    public void Resolved_tenant_defaults_audience_and_issuer()
    {
        var tenant = new Auth0Tenant(
            Options.Create(new Auth0Options { Domain = "tenant.eu.auth0.com", ClientId = "c", ClientSecret = "s" }),
            Options.Create(new LocalTenantOptions()));
        Assert.False(tenant.IsLocal);
        Assert.Equal("https://tenant.eu.auth0.com/", tenant.Issuer);
        Assert.Equal("https://tenant.eu.auth0.com/api/v2/", tenant.Audience);
    }
}
