using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Linking.Secondary;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The linking service's own locks on a finished second login. Through the app a lock in front of each holds first
/// (the callback acts only on an attempt its session is waiting for, and signing in or out clears that session state:
/// <see cref="SecondaryLoginReplayTests"/>); these hold the service's locks on their own, should that one ever be
/// taken out. The app's own service and tenant, with a real session.
/// </summary>
public sealed class LinkingServiceTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ISession session = InMemorySession.Create();
    private readonly LinkAttempt attempt = new(Guid.NewGuid().ToString("N"), Seeded.John, LinkFlows.AccessToken, "default", "sms", null,
        DateTimeOffset.UtcNow, Seeded.John);

    [Fact]
    public async Task A_login_for_an_attempt_the_session_is_not_waiting_for_links_nothing()
    {
        var outcome = await FinishAsync(new PrimaryUser(Seeded.John, null, null));

        Assert.Equal(("refused", "replayed", "That link response was already used or was not started here; nothing was linked."),
            (outcome.Outcome, outcome.ErrorCode, outcome.Message));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_login_that_comes_back_after_the_session_ended_links_nothing()
    {
        PendingAttempts.Add(session, attempt.Id);

        var outcome = await FinishAsync(primary: null);

        Assert.Equal(("refused", "session_ended", "Your session ended before the link finished; sign in and start again."),
            (outcome.Outcome, outcome.ErrorCode, outcome.Message));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }

    [Fact]
    public async Task A_login_for_an_attempt_another_user_started_links_nothing_to_either()
    {
        PendingAttempts.Add(session, attempt.Id);

        var outcome = await FinishAsync(new PrimaryUser(Seeded.AdaDatabase, null, null));

        Assert.Equal(("refused", "other_session", "That sign-in belongs to a link started by another session; nothing was linked."),
            (outcome.Outcome, outcome.ErrorCode, outcome.Message));
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
    }

    [Fact]
    public async Task A_link_through_a_connection_the_page_never_offered_tells_qa_why()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, profile) = await qa.GetPageAsync("/Profile");

        var refused = await LinkResult.ReadAsync(await qa.FollowAsync(await qa.ClickAsync(profile, "/Profile", "link-sms", form => form.Set("connection", "evil-oidc"))), null, null);

        Assert.StartsWith("Error: That kind of account cannot be linked here.", refused.Status);
        Assert.Equal("For QA: Error: Choose one of the listed connections to link.", refused.Page.QuerySelector("[data-test='status-detail']")?.TextContent.Trim());
    }

    private async Task<LinkingOutcome> FinishAsync(PrimaryUser? primary)
    {
        using var scope = stack.App.Services.CreateScope();
        var login = new SecondaryLogin(Seeded.JohnSms, "an ID token the tenant never sees", EmailVerified: true, DateTimeOffset.UtcNow);
        return await scope.ServiceProvider.GetRequiredService<LinkingService>()
            .FinishLinkAsync(primary, session, new LinkCallbackResult(attempt, login, null, SignedIn: primary is not null), Ct);
    }
}
