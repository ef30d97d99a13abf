using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Linking.StepUp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Web.Linking.StepUp;

/// <summary>
/// The gate's own user check, with a real session and real data protection. Through the app the same door has a
/// second lock (<c>SessionStateOwner</c> clears another user's session state before anything reads it, tested by
/// <c>ReauthenticationTests</c>); this holds the gate's lock on its own, should that one ever be taken out.
/// </summary>
public sealed class StepUpGateTests
{
    private readonly StepUpGate gate = new(new ProtectedSessionItems(new EphemeralDataProtectionProvider()),
        Options.Create(new LinkingOptions()), TimeProvider.System);

    private readonly HttpContext browser = WithSession();

    [Fact]
    public async Task An_operation_kept_for_one_user_is_nothing_to_another_user_of_the_same_browser()
    {
        var handle = await gate.KeepAsync(browser, PendingOperation.Unlink("auth0|john", "sms", "560ebaeef609ee1adaa7c551"));

        Assert.Null(await gate.PeekAsync(browser, handle, "auth0|mallory"));
        Assert.Null(await gate.TakeAsync(browser, handle, "auth0|mallory"));
    }

    [Fact]
    public async Task An_operation_resumes_for_its_own_user_once()
    {
        var kept = PendingOperation.Link("auth0|john", "sms", null);
        var handle = await gate.KeepAsync(browser, kept);

        Assert.Equal(kept, await gate.PeekAsync(browser, handle, "auth0|john"));
        Assert.Equal(kept, await gate.TakeAsync(browser, handle, "auth0|john"));
        Assert.Null(await gate.TakeAsync(browser, handle, "auth0|john"));
    }

    private static DefaultHttpContext WithSession()
    {
        var http = new DefaultHttpContext();
        http.Features.Set<ISessionFeature>(new SessionFeature { Session = InMemorySession.Create() });
        return http;
    }
}
