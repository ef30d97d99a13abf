using System.Net;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.LocalTenant.PasswordReset;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>
/// The reset page an emailed link opens (<c>/lo/reset?ticket=…</c>): a ticket sets a new password once, under the
/// password policy; bad tickets get a clear refusal; a wrong entry leaves the ticket usable; antiforgery applies.
/// </summary>
public sealed class ResetPasswordPageTests(PasswordResetTenantFixture tenant) : IClassFixture<PasswordResetTenantFixture>
{
    private const string NewPassword = "Brand-New-Passw0rd";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_ticket_sets_the_new_password_and_last_password_reset_once()
    {
        var email = $"reset-{Guid.NewGuid():N}@example.com";
        var userId = await tenant.CreateDatabaseUserAsync(email, new Dictionary<string, object?> { ["email_verified"] = false });
        var startedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var browser = tenant.CreateClient();
        var page = await tenant.OpenAsync(browser, await tenant.ResetLinkAsync(email));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        foreach (var hook in new[] { "reset-password", "reset-confirm", "reset-submit" })
            Assert.NotNull(page.Page!.QuerySelector($"[data-test='{hook}']"));
        Assert.Contains(email, page.Page!.Body!.TextContent);

        var done = await tenant.SubmitNewPasswordAsync(browser, page, NewPassword);

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("Your password has been changed", done.Page!.QuerySelector("[data-test='reset-done']")!.TextContent);
        Assert.Equal(LocalTenantFixture.LogoutUrl, done.Page.QuerySelector("[data-test='reset-back']")!.GetAttribute("href"));
        Assert.False(await tenant.SignsInAsync(email, ManagementTenantFixture.NewUserPassword));
        Assert.True(await tenant.SignsInAsync(email, NewPassword));
        var user = (await tenant.Api.GetAsync(TenantApi.UserPath(userId), await tenant.ServerTokenAsync())).IsSuccess().Json;
        var reset = DateTimeOffset.Parse(user.GetProperty("last_password_reset").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset, startedAt, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(user.GetProperty("email_verified").GetBoolean()); // created unverified: the link proved the mailbox

        // Single use: the same link, opened again or posted again, changes nothing.
        var again = await tenant.OpenAsync(browser, page.Uri);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Contains("already been used", again.Page!.QuerySelector("[data-test='reset-error']")!.TextContent);
        Assert.Null(again.Page.QuerySelector("[data-test='reset-password']"));
        var replay = await tenant.SubmitNewPasswordAsync(browser, page, "Third-Passw0rd");
        Assert.Equal(HttpStatusCode.Gone, replay.Status);
        Assert.True(await tenant.SignsInAsync(email, NewPassword));
    }

    [Fact]
    public async Task A_reset_voids_the_links_sent_before_it()
    {
        var (_, email) = await NewUserAsync();
        var older = await tenant.ResetLinkAsync(email);
        var newer = await tenant.ResetLinkAsync(email);
        using var browser = tenant.CreateClient();
        var olderPage = await tenant.OpenAsync(browser, older);

        await tenant.SubmitNewPasswordAsync(browser, await tenant.OpenAsync(browser, newer), NewPassword);

        var stale = await tenant.SubmitNewPasswordAsync(browser, olderPage, "Attacker-Passw0rd");
        Assert.Equal(HttpStatusCode.Gone, stale.Status);
        Assert.NotNull(stale.Page!.QuerySelector("[data-test='reset-error']"));
        Assert.True(await tenant.SignsInAsync(email, NewPassword));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?ticket=")]
    [InlineData("?ticket=not-a-ticket-of-this-tenant")]
    [InlineData("?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_ticket_is_refused_clearly(string query)
    {
        using var browser = tenant.CreateClient();
        var page = await tenant.OpenAsync(browser, new Uri(tenant.Url + "/lo/reset" + query));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("not valid", page.Page!.QuerySelector("[data-test='reset-error']")!.TextContent);
        Assert.Null(page.Page.QuerySelector("[data-test='reset-password']"));
    }

    [Fact]
    public async Task An_expired_ticket_is_refused_clearly_and_sets_nothing()
    {
        var (_, email) = await NewUserAsync();
        using var browser = tenant.CreateClient();
        var page = await tenant.OpenAsync(browser, await tenant.ResetLinkAsync(email));
        await ExpireTicketsOfAsync(email);

        var opened = await tenant.OpenAsync(browser, page.Uri);
        var posted = await tenant.SubmitNewPasswordAsync(browser, page, NewPassword);

        foreach (var step in new[] { opened, posted })
        {
            Assert.Equal(HttpStatusCode.Gone, step.Status);
            Assert.Contains("expired", step.Page!.QuerySelector("[data-test='reset-error']")!.TextContent);
        }
        Assert.True(await tenant.SignsInAsync(email, ManagementTenantFixture.NewUserPassword));
    }

    [Theory]
    [InlineData("weakpassword", "weakpassword", "at least 8 characters")]
    [InlineData("Sh0rt", "Sh0rt", "at least 8 characters")]
    [InlineData(NewPassword, "Brand-New-Passw0rX", "not the same")]
    [InlineData(NewPassword, "", "not the same")]
    public async Task A_weak_or_mistyped_password_is_refused_and_the_ticket_still_works(string password, string confirm, string message)
    {
        var (_, email) = await NewUserAsync();
        using var browser = tenant.CreateClient();
        var page = await tenant.OpenAsync(browser, await tenant.ResetLinkAsync(email));

        var refused = await tenant.SubmitNewPasswordAsync(browser, page, password, confirm);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains(message, refused.Page!.QuerySelector("[data-test='reset-error']")!.TextContent);
        Assert.All(refused.Page.QuerySelectorAll("input[type=password]"), input => Assert.Equal("", input.GetAttribute("value") ?? ""));
        Assert.DoesNotContain(password, refused.Page.Body!.InnerHtml);
        Assert.True(await tenant.SignsInAsync(email, ManagementTenantFixture.NewUserPassword));

        var done = await tenant.SubmitNewPasswordAsync(browser, refused, NewPassword);
        Assert.NotNull(done.Page!.QuerySelector("[data-test='reset-done']"));
        Assert.True(await tenant.SignsInAsync(email, NewPassword));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_changes_nothing()
    {
        var (_, email) = await NewUserAsync();
        using var browser = tenant.CreateClient();
        var page = await tenant.OpenAsync(browser, await tenant.ResetLinkAsync(email));
        var form = page.Form("[data-test='reset-password']").Set("reset-password", NewPassword).Set("reset-confirm", NewPassword);

        var forged = await tenant.CreateDriver(browser).FollowAsync(form.Set("__RequestVerificationToken", "forged").Submit("reset-submit"));
        using var fromElsewhere = tenant.CreateClient();
        var crossSite = await tenant.CreateDriver(fromElsewhere).FollowAsync(form.Submit("reset-submit"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(HttpStatusCode.BadRequest, crossSite.Status);
        Assert.True(await tenant.SignsInAsync(email, ManagementTenantFixture.NewUserPassword));
        Assert.NotNull((await tenant.SubmitNewPasswordAsync(browser, page, NewPassword)).Page!.QuerySelector("[data-test='reset-done']"));
    }

    [Fact]
    public async Task The_page_is_not_cached_framed_or_referred()
    {
        var (_, email) = await NewUserAsync();
        using var browser = tenant.CreateClient();

        var page = await tenant.OpenAsync(browser, await tenant.ResetLinkAsync(email));

        var headers = page.Response.Headers;
        Assert.Equal("frame-ancestors 'none'", headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
        Assert.True(headers.CacheControl?.NoStore, "no-store");
        Assert.Contains(page.Response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ll_tenant_af=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requesting_and_using_a_link_write_scpr_and_scp_events()
    {
        var (userId, email) = await NewUserAsync();
        using var browser = tenant.CreateClient();
        var link = await tenant.ResetLinkAsync(email);

        await tenant.SubmitNewPasswordAsync(browser, await tenant.OpenAsync(browser, link), NewPassword);

        var requested = Assert.Single(await tenant.LogsAsync("scpr"), e => e.GetProperty("user_id").GetString() == userId);
        var changed = Assert.Single(await tenant.LogsAsync("scp"), e => e.GetProperty("user_id").GetString() == userId);
        Assert.Equal("Success Change Password", changed.GetProperty("description").GetString());
        foreach (var entry in new[] { requested, changed })
        {
            Assert.Equal(email, entry.GetProperty("user_name").GetString());
            Assert.Equal(LocalTenantFixture.ClientId, entry.GetProperty("client_id").GetString());
            Assert.DoesNotContain(link.Query.Split('=')[1], entry.GetRawText());
            Assert.DoesNotContain(NewPassword, entry.GetRawText());
        }
        Assert.True(string.CompareOrdinal(changed.GetProperty("date").GetString(), requested.GetProperty("date").GetString()) >= 0);
    }

    private async Task<(string UserId, string Email)> NewUserAsync()
    {
        var email = $"reset-{Guid.NewGuid():N}@example.com";
        return (await tenant.CreateDatabaseUserAsync(email), email);
    }

    /// <summary>The tenant has no clock to move, so the tickets' expiry is moved instead.</summary>
    private async Task ExpireTicketsOfAsync(string email)
    {
        await using var scope = tenant.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
        var identityId = await db.Identities.Where(i => i.LoginName == email).Select(i => i.Id).SingleAsync(Ct);
        var tickets = await db.PasswordResetTickets.Where(t => t.IdentityId == identityId).ToListAsync(Ct);
        Assert.NotEmpty(tickets);
        foreach (var ticket in tickets) ticket.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await db.SaveChangesAsync(Ct);
    }
}
