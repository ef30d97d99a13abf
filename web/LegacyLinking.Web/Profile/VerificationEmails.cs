using System.Security.Cryptography;
using System.Text;
using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Profile;

/// <summary>What asking for the verification email again did: the page's message, and the tenant's words for QA.</summary>
public sealed record VerificationEmailResult(bool Sent, string Message, string? Detail = null);

/// <summary>
/// "Send the verification email again" (<c>POST /api/v2/jobs/verification-email</c> with the app's server token).
/// At most one email per user per <see cref="Interval"/>, counted in the app's shared cache (so every instance and
/// every session of the user share the count): the button cannot be used to flood a mailbox, nor to spend the
/// tenant's email quota. A request the tenant did not take does not count.
/// </summary>
public sealed class VerificationEmails(ManagementApiClient management, IDistributedCache cache, IOptions<Auth0Options> auth0)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private const string KeyPrefix = "verification-email-sent:";

    public async Task<VerificationEmailResult> SendAgainAsync(string userId, CancellationToken cancellationToken)
    {
        var key = KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));
        if (await cache.GetAsync(key, cancellationToken) is not null)
        {
            return new(false, "Error: We sent you a verification email less than a minute ago. Look for it in your inbox (and spam "
                + "folder); if it is not there, ask for another one in a minute.");
        }
        // Counted before the tenant is asked, so two quick clicks cannot both send.
        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Interval }, cancellationToken);
        try
        {
            var user = await management.Users.GetAsync(userId, cancellationToken: cancellationToken);
            if (string.IsNullOrEmpty(user.Email))
            {
                await cache.RemoveAsync(key, cancellationToken);
                return new(false, "Error: Your account has no email address to verify. You can link other accounts without one.");
            }
            if (user.EmailVerified)
            {
                await cache.RemoveAsync(key, cancellationToken);
                return new(true, "Your email address is already verified: you can link other accounts now.");
            }
            await management.Jobs.SendVerificationEmailAsync(new VerifyEmailJobRequest { UserId = userId, ClientId = auth0.Value.ClientId }, cancellationToken);
            return new(true, $"We sent a verification email to {user.Email}. Open the link in it, then come back to this page to link your accounts.");
        }
        catch (ApiException failed)
        {
            await cache.RemoveAsync(key, CancellationToken.None);
            var detail = ProfileMessages.LoadFailedDetail(failed);
            return failed switch
            {
                TenantUnavailableException => new(false, "Error: The sign-in service did not answer, so no email was sent. Try again in a moment.", detail),
                RateLimitApiException => new(false, "Error: The sign-in service is busy, so no email was sent. Try again in a minute.", detail),
                _ => new(false, "Error: The sign-in service did not send the email. " + ProfileMessages.TryAgainOrAdmin, detail),
            };
        }
    }
}
