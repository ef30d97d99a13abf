using System.Security.Claims;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// The instant of a cut itself, which a running clock rarely hits: the session that made a change is signed in again at
/// or after its cut and must carry on, and a session signed in at the very tick of a reset is not one from before it:
/// both checks draw the line in the same place. The app's own cut store (real SQLite) with a clock held still.
/// </summary>
public sealed class SessionEpochBoundaryTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly string user = $"auth0|boundary-{Guid.NewGuid():N}";

    private SessionEpochs Epochs => new(stack.App.Services.GetRequiredService<SessionCuts>(), clock);

    [Fact]
    public async Task A_session_signed_in_at_the_tick_of_its_users_cut_carries_on_and_ends_at_a_cut_one_tick_later()
    {
        var epochs = Epochs;
        using var scope = stack.App.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var session = SignIn(epochs, http);

        // The session that made a change is signed in again in the tick of its cut, or later.
        await epochs.CutAsync(user, Ct);
        Assert.NotNull(await ValidateAsync(epochs, http, session));

        clock.Advance(TimeSpan.FromTicks(1));
        await epochs.CutAsync(user, Ct);
        Assert.Null(await ValidateAsync(epochs, http, session));
    }

    [Fact]
    public void A_session_signed_in_at_the_tick_of_a_reset_is_not_from_before_it()
    {
        using var scope = stack.App.Services.CreateScope();
        var signedIn = SignIn(Epochs, new DefaultHttpContext { RequestServices = scope.ServiceProvider });

        Assert.False(SessionEpochs.IssuedBefore(signedIn.Properties, clock.GetUtcNow()));
        Assert.True(SessionEpochs.IssuedBefore(signedIn.Properties, clock.GetUtcNow().AddTicks(1)));
    }

    private sealed record Session(ClaimsPrincipal Principal, AuthenticationProperties Properties);

    private static readonly AuthenticationScheme Cookie = new(AuthSchemes.Cookie, null, typeof(CookieAuthenticationHandler));

    private Session SignIn(SessionEpochs epochs, HttpContext http)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "test"));
        var properties = new AuthenticationProperties();
        epochs.Stamp(new CookieSigningInContext(http, Cookie, new CookieAuthenticationOptions(), principal, properties, new CookieOptions()));
        return new Session(principal, properties);
    }

    /// <summary>The principal the cookie's validation leaves in place; null when it rejected the session.</summary>
    private static async Task<ClaimsPrincipal?> ValidateAsync(SessionEpochs epochs, HttpContext http, Session session)
    {
        var context = new CookieValidatePrincipalContext(http, Cookie, new CookieAuthenticationOptions(),
            new AuthenticationTicket(session.Principal, session.Properties, AuthSchemes.Cookie));
        await epochs.ValidateAsync(context);
        return context.Principal;
    }
}
