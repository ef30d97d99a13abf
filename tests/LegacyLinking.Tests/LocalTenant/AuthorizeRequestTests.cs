using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>Malformed or hostile /authorize requests: a clear error to the client or a 4xx page, never a 500.</summary>
public sealed class AuthorizeRequestTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    private readonly TenantSession _session = new(tenant);

    [Fact]
    public async Task An_unknown_connection_is_invalid_request_at_the_redirect_uri()
    {
        var request = _session.Request(r => r with { Connection = "evil-oidc" });
        var step = await _session.Driver.OpenAsync(request.ToUri());

        Assert.StartsWith(LocalTenantFixture.RedirectUri, step.RedirectTarget!.ToString());
        Assert.Equal("invalid_request", step.Error);
        Assert.Contains("evil-oidc", step.Parameters["error_description"]);
        Assert.Equal(request.State, step.State);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/callback/extra")]
    [InlineData("http://127.0.0.1:5080/Callback")]
    [InlineData("http://127.0.0.1:5080/callback?x=1")]
    [InlineData("https://evil.example/callback")]
    [InlineData("http://127.0.0.1:5081/callback")]
    public async Task A_redirect_uri_that_is_not_registered_exactly_is_a_400_page_and_no_redirect(string redirectUri)
    {
        var step = await _session.Driver.OpenAsync(_session.Request(r => r with { RedirectUri = redirectUri }).ToUri());

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Null(step.RedirectTarget);
        Assert.Contains("redirect_uri", step.PageError);
    }

    [Fact]
    public async Task An_unknown_client_is_a_400_page()
    {
        var step = await _session.Driver.OpenAsync(_session.Request(r => r with { ClientId = "no-such-client" }).ToUri());

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Null(step.RedirectTarget);
        Assert.NotNull(step.PageError);
    }

    [Fact]
    public async Task Missing_nonce_and_state_are_accepted_and_the_nonce_claim_is_omitted()
    {
        var request = _session.Request(r => r with { Nonce = null, State = null });
        var step = await _session.ContinueAsAsync(request, Seeded.John);
        var tokens = await _session.RedeemAsync(request, step);

        Assert.Null(step.State);
        Assert.Null(Jwt.Parse(tokens.IdToken!).Claim("nonce"));
    }

    [Fact]
    public async Task A_plain_PKCE_challenge_is_refused_Auth0_supports_only_S256()
    {
        var request = _session.Request(r => r with
        {
            CodeVerifier = null,
            Extra = new Dictionary<string, string> { ["code_challenge"] = new string('a', 43), ["code_challenge_method"] = "plain" },
        });
        AssertRejected(await _session.Driver.OpenAsync(request.ToUri()));
    }

    [Fact]
    public async Task An_implicit_response_type_is_refused()
    {
        var uri = new Uri(_session.Request().ToUri().ToString().Replace("response_type=code", "response_type=token"));
        var step = await _session.Driver.OpenAsync(uri);

        AssertRejected(step);
        Assert.Null(step.Parameters.GetValueOrDefault("access_token"));
    }

    [Fact]
    public async Task An_oversize_query_is_a_4xx()
    {
        var request = _session.Request(r => r with { State = new string('s', 20_000) });
        using var response = await _session.Browser.GetAsync(request.ToUri(), TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Garbage_parameters_never_cause_a_500()
    {
        var uris = new[]
        {
            $"{tenant.Url}/authorize",
            $"{tenant.Url}/authorize?client_id=%00%FF&redirect_uri=%%%",
            $"{tenant.Url}/authorize?client_id=legacylinking-web&redirect_uri={Uri.EscapeDataString(LocalTenantFixture.RedirectUri)}&response_type=code&max_age=-5",
            $"{tenant.Url}/authorize?client_id=legacylinking-web&redirect_uri={Uri.EscapeDataString(LocalTenantFixture.RedirectUri)}&response_type=code&prompt=%3Cscript%3E",
            $"{tenant.Url}/authorize?client_id=legacylinking-web&client_id=other&response_type=code",
            $"{tenant.Url}/v2/logout?returnTo=%%%",
            $"{tenant.Url}/login?returnUrl=%2Fauthorize%3Fconnection%3D%253Cscript%253E",
            $"{tenant.Url}/no-such-page",
        };
        foreach (var uri in uris)
        {
            var step = await _session.Driver.OpenAsync(new Uri(uri));
            Assert.True((int)step.Status < 500, $"{uri} -> {step}");
            if (step.RedirectTarget is null) Assert.InRange((int)step.Status, 200, 499);
        }
    }

    /// <summary>Refused either way OpenIddict chooses: an error sent to the client, or a 400 page naming the error.</summary>
    private static void AssertRejected(TenantStep step)
    {
        if (step.RedirectTarget is not null)
        {
            Assert.NotNull(step.Error);
            Assert.Null(step.Code);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, step.Status);
            Assert.NotNull(step.PageError);
        }
    }

    [Fact]
    public async Task A_token_request_with_a_broken_JSON_body_is_a_400_JSON_error()
    {
        var tokens = await _session.Tokens.PostJsonAsync(new[] { 1, 2, 3 });

        Assert.Equal(HttpStatusCode.BadRequest, tokens.Status);
        Assert.Equal("invalid_request", tokens.Error);
    }
}
