using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// How long the current page may still wait on the tenant: <c>Auth0:Http:PageDeadlineSeconds</c> in total, counted
/// from its first call, whatever the calls, retries and timeouts are. It caps every attempt's timeout and every retry,
/// so a stalled tenant costs a page at most that long.
/// </summary>
public sealed class TenantDeadline(DateTimeOffset endsAt, bool carriedOver, TimeProvider clock)
{
    public TimeSpan Remaining => endsAt - clock.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public bool Spent => Remaining == TimeSpan.Zero;

    /// <summary>The page that redirected here spent its time on a tenant that did not answer: this one does not wait again.</summary>
    public bool CarriedOver { get; } = carriedOver;

    /// <summary>
    /// This page's last call to the tenant ran out of time (the tenant stalled rather than refused). A later call that
    /// is answered clears it: the tenant is back, so the page it redirects to may ask it again.
    /// </summary>
    public bool Stalled { get; private set; }

    public void MarkStalled() => Stalled = true;

    public void MarkAnswered() => Stalled = false;
}

/// <summary>
/// The current request's <see cref="TenantDeadline"/>, started by its first call to the tenant; none outside a request
/// (background work keeps the configured timeouts). A page whose tenant call stalled and that redirects (a failed link
/// back to the profile) hands a spent deadline to the page it redirects to, in a short-lived cookie: a journey never
/// waits out the same stalled tenant twice.
/// </summary>
public sealed class TenantDeadlines(IHttpContextAccessor http, IOptions<Auth0HttpOptions> options, TimeProvider clock)
{
    /// <summary>How long the hand-over counts: the redirect is followed at once.</summary>
    private static readonly TimeSpan HandOver = TimeSpan.FromSeconds(30);

    public TenantDeadline? Current => http.HttpContext is { } context ? context.Features.Get<TenantDeadline>() ?? Start(context) : null;

    /// <summary>
    /// <paramref name="limit"/> (which may be <see cref="Timeout.InfiniteTimeSpan"/>), or less when the page's deadline
    /// ends sooner (never zero: Polly reads that as "no timeout").
    /// </summary>
    public TimeSpan Cap(TimeSpan limit) =>
        Current is { } deadline && (limit == Timeout.InfiniteTimeSpan || deadline.Remaining < limit)
            ? Max(deadline.Remaining, TimeSpan.FromMilliseconds(1))
            : limit;

    private TenantDeadline Start(HttpContext context)
    {
        var carriedOver = long.TryParse(context.Request.Cookies[AppCookies.TenantStalled], out var at)
            && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(at) is var age && age >= TimeSpan.Zero && age < HandOver;
        if (context.Request.Cookies.ContainsKey(AppCookies.TenantStalled) && !context.Response.HasStarted) context.Response.Cookies.Delete(AppCookies.TenantStalled);
        var budget = carriedOver ? TimeSpan.Zero : TimeSpan.FromSeconds(options.Value.PageDeadlineSeconds);
        var deadline = new TenantDeadline(clock.GetUtcNow() + budget, carriedOver, clock);
        context.Features.Set(deadline);
        context.Response.OnStarting(() =>
        {
            if (deadline.Stalled && IsLocalRedirect(context.Response))
                context.Response.Cookies.Append(AppCookies.TenantStalled, clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, MaxAge = HandOver, IsEssential = true });
            return Task.CompletedTask;
        });
        return deadline;
    }

    private static bool IsLocalRedirect(HttpResponse response) =>
        response.StatusCode is >= 300 and < 400 && response.Headers.Location.ToString() is { Length: > 0 } location
        && location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>Outermost on every client that calls the tenant: a page whose time for the tenant is spent does not call it again.</summary>
public sealed class TenantDeadlineHandler(TenantDeadlines deadlines) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (deadlines.Current is { Spent: true } deadline)
            throw new TenantUnavailableException(deadline.CarriedOver
                ? "The tenant did not answer a moment ago; this page did not ask it again."
                : "The tenant did not answer within this page's time for it.");
        return SendAndNoteAnswerAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAndNoteAnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        deadlines.Current?.MarkAnswered();
        return response;
    }
}
