using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>The tenant session: reuse, forced re-login without loops, form_post, and /v2/logout.</summary>
public sealed class SessionTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    private readonly TenantSession _session = new(tenant);

    [Fact]
    public async Task A_second_authorize_reuses_the_session_without_a_login_page()
    {
        var first = await _session.ContinueAsAndRedeemAsync(_session.Request(), Seeded.John);

        var request = _session.Request();
        var step = await _session.Driver.OpenAsync(request.ToUri());
        Assert.NotNull(step.Code);
        var second = await _session.RedeemAsync(request, step);
        Assert.Equal(Jwt.Parse(first.IdToken!).Claim("sid"), Jwt.Parse(second.IdToken!).Claim("sid"));
        Assert.Equal(Jwt.Parse(first.IdToken!).Claim("auth_time"), Jwt.Parse(second.IdToken!).Claim("auth_time"));
    }

    [Theory]
    [InlineData("login", null)]
    [InlineData(null, 0)]
    public async Task Prompt_login_and_max_age_0_force_the_login_page_once_and_then_complete(string? prompt, int? maxAge)
    {
        await _session.ContinueAsAsync(_session.Request(), Seeded.John);

        var request = _session.Request(r => r with { Prompt = prompt, MaxAge = maxAge });
        var page = await _session.Driver.OpenAsync(request.ToUri());
        Assert.True(page.IsLoginPage, $"expected the login page despite the session, got {page}");

        // Signing in again (here as another user) answers the request: no loop back to the login page.
        var step = await _session.Driver.ContinueAsAsync(request.ToUri(), Seeded.AdaGithub);
        Assert.NotNull(step.Code);
        var tokens = await _session.RedeemAsync(request, step);
        Assert.Equal(Seeded.AdaGithub, Jwt.Parse(tokens.IdToken!).Claim("sub"));
    }

    [Fact]
    public async Task A_session_from_another_connection_does_not_answer_a_connection_request()
    {
        await _session.ContinueAsAsync(_session.Request(), Seeded.John);

        var page = await _session.Driver.OpenAsync(_session.Request(r => r with { Connection = "github" }).ToUri());
        Assert.True(page.IsLoginPage, page.ToString());
    }

    [Fact]
    public async Task Prompt_none_without_a_session_returns_login_required_to_the_client()
    {
        var request = _session.Request(r => r with { Prompt = "none" });
        var step = await _session.Driver.OpenAsync(request.ToUri());

        Assert.Equal("login_required", step.Error);
        Assert.Equal(request.State, step.State);
    }

    [Fact]
    public async Task Form_post_response_mode_returns_an_auto_submitting_form()
    {
        var request = _session.Request(r => r with { ResponseMode = "form_post" });
        var step = await _session.Driver.ContinueAsAsync(request.ToUri(), Seeded.John);

        Assert.Equal(HttpStatusCode.OK, step.Status);
        Assert.Null(step.RedirectTarget);
        Assert.Equal(LocalTenantFixture.RedirectUri, step.FormPost!.Action);
        Assert.Equal("post", step.FormPost.Method, ignoreCase: true);
        Assert.Equal(request.State, step.State);
        Assert.NotNull((await _session.RedeemAsync(request, step)).IdToken);
    }

    [Fact]
    public async Task Logout_with_an_allowed_returnTo_redirects_there_and_ends_the_session()
    {
        await _session.ContinueAsAsync(_session.Request(), Seeded.John);

        var logout = await _session.Driver.OpenAsync(LogoutUri(LocalTenantFixture.LogoutUrl));
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        Assert.Equal(LocalTenantFixture.LogoutUrl, logout.RedirectTarget!.ToString());

        var next = await _session.Driver.OpenAsync(_session.Request().ToUri());
        Assert.True(next.IsLoginPage, $"the session must be over, got {next}");
    }

    [Fact]
    public async Task Oidc_logout_accepts_the_id_token_hint_of_a_token_without_OpenIddicts_claims()
    {
        var tokens = await _session.ContinueAsAndRedeemAsync(_session.Request(), Seeded.John);

        var logout = await _session.Driver.OpenAsync(new Uri(
            $"{tenant.Url}/oidc/logout?id_token_hint={tokens.IdToken}&post_logout_redirect_uri={Uri.EscapeDataString(LocalTenantFixture.LogoutUrl)}"));
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        Assert.Equal(LocalTenantFixture.LogoutUrl, logout.RedirectTarget!.GetLeftPart(UriPartial.Path));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("http://127.0.0.1:5080/elsewhere")]
    [InlineData("http://127.0.0.1:5080")]
    public async Task Logout_with_a_returnTo_that_is_not_allowed_is_a_400_page_and_no_redirect(string returnTo)
    {
        var step = await _session.Driver.OpenAsync(LogoutUri(returnTo));

        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Null(step.RedirectTarget);
        Assert.Equal("text/html", step.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(step.PageError);
    }

    [Fact]
    public async Task Logout_without_returnTo_shows_the_signed_out_page()
    {
        await _session.ContinueAsAsync(_session.Request(), Seeded.John);

        var step = await _session.Driver.OpenAsync(new Uri($"{tenant.Url}/v2/logout?client_id={LocalTenantFixture.ClientId}"));
        Assert.Equal(HttpStatusCode.OK, step.Status);
        Assert.NotNull(step.Page!.QuerySelector("[data-test='signed-out']"));
        Assert.True((await _session.Driver.OpenAsync(_session.Request().ToUri())).IsLoginPage);
    }

    [Fact]
    public async Task A_replayed_session_cookie_is_dead_after_logout()
    {
        var cookies = new CookieContainer();
        var driver = tenant.CreateDriver(tenant.CreateClient(cookies));
        await driver.ContinueAsAsync(_session.Request().ToUri(), Seeded.John);
        var stolen = cookies.GetAllCookies().Single(c => c.Name == "ll_tenant_session");

        await driver.OpenAsync(LogoutUri(LocalTenantFixture.LogoutUrl));

        var attacker = new CookieContainer();
        attacker.Add(new Cookie(stolen.Name, stolen.Value, stolen.Path, stolen.Domain));
        var replay = await tenant.CreateDriver(tenant.CreateClient(attacker)).OpenAsync(_session.Request().ToUri());
        Assert.True(replay.IsLoginPage, replay.ToString());
    }

    private Uri LogoutUri(string returnTo) =>
        new($"{tenant.Url}/v2/logout?client_id={LocalTenantFixture.ClientId}&returnTo={Uri.EscapeDataString(returnTo)}");
}
