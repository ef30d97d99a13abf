using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Infrastructure;

/// <summary>Waits that say where the browser got stuck when they time out (a bare Playwright timeout does not).</summary>
public static class PageWaits
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static Task ArriveAtAsync(this IPage page, string url) => ArriveAsync(page, url, current => current == url);

    public static Task ArriveAtAsync(this IPage page, Regex url) => ArriveAsync(page, url.ToString(), url.IsMatch);

    /// <summary>
    /// Left <paramref name="url"/> for the next page: after a key press that navigates (a key press, unlike a click,
    /// does not wait for the navigation it starts), so that the next wait for a page like this one is not answered by
    /// this one.
    /// </summary>
    public static Task LeaveAsync(this IPage page, string url) => ArriveAsync(page, "anywhere but " + url, current => current != url);

    /// <summary>
    /// Arrived: the page's URL matches and its document is parsed. Both are read from the page itself rather than from
    /// Playwright's navigation and load events: journeys timed out in <c>WaitForURLAsync</c> (with "load", then with
    /// "domcontentloaded") on a page that had arrived and rendered, by the diagnostics below.
    /// </summary>
    private static async Task ArriveAsync(IPage page, string expected, Func<string, bool> matches)
    {
        var waited = Stopwatch.StartNew();
        try
        {
            while (!matches(page.Url))
            {
                if (waited.Elapsed > Limit) throw new TimeoutException($"No navigation to {expected} within {Limit.TotalSeconds} s.");
                await Task.Delay(50);
            }
            await page.WaitForFunctionAsync("() => document.readyState !== 'loading'", null,
                new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = (float)Math.Max(1_000, (Limit - waited.Elapsed).TotalMilliseconds) });
        }
        catch (TimeoutException e)
        {
            var text = await page.EvaluateAsync<string>("() => document.body ? document.body.innerText : ''");
            throw new TimeoutException($"Expected {expected}; the page is still at {page.Url}: {text[..Math.Min(text.Length, 400)]}", e);
        }
    }
}
