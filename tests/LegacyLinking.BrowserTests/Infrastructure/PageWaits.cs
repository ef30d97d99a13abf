using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Infrastructure;

/// <summary>Waits that say where the browser got stuck when they time out (a bare Playwright timeout does not).</summary>
public static class PageWaits
{
    // Arrived once the document is parsed: the checks that follow wait for their own elements. Waiting for "load"
    // (Playwright's default) also waits for every subresource, and twice a journey timed out on a page that had
    // arrived and rendered (the diagnostics showed its URL and text) while "load" never came.
    private static readonly PageWaitForURLOptions Parsed = new() { WaitUntil = WaitUntilState.DOMContentLoaded };

    public static Task ArriveAtAsync(this IPage page, string url) => DiagnoseAsync(page, url, () => page.WaitForURLAsync(url, Parsed));

    public static Task ArriveAtAsync(this IPage page, Regex url) => DiagnoseAsync(page, url.ToString(), () => page.WaitForURLAsync(url, Parsed));

    private static async Task DiagnoseAsync(IPage page, string expected, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException e)
        {
            var text = await page.EvaluateAsync<string>("() => document.body ? document.body.innerText : ''");
            throw new TimeoutException($"Expected {expected}; the page is still at {page.Url}: {text[..Math.Min(text.Length, 400)]}", e);
        }
    }
}
