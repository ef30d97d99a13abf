using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Infrastructure;

/// <summary>
/// What a person who cannot see the screen well, or uses no mouse, meets on a page: axe-core's WCAG 2.1 A and AA rules
/// (contrast, names and labels, structure) plus its best practices for landmarks and headings, and a visible focus on
/// every stop of the keyboard's tab order.
/// </summary>
public static class Accessibility
{
    /// <summary>WCAG 2.0 and 2.1, levels A and AA, and the best practices (one main landmark, content in landmarks, an h1, heading order).</summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>
    /// The page as it is now, described for an assertion message: one line per violation and element, empty when none.
    /// </summary>
    public static async Task<string> ViolationsAsync(this IPage page, string state)
    {
        var result = await page.RunAxe(Options);
        var text = new StringBuilder();
        foreach (var violation in result.Violations)
            foreach (var node in violation.Nodes)
                text.Append("- ").Append(state).Append(" (").Append(new Uri(page.Url).AbsolutePath).Append("): ").Append(violation.Id)
                    .Append(" [").Append(violation.Impact).Append("] ").Append(violation.Help).Append(" at ")
                    .Append(string.Join(" ", node.Target?.ToString() ?? "")).Append(": ").Append(node.Html).AppendLine();
        return text.ToString();
    }

    /// <summary>axe finds nothing and every keyboard stop shows where the focus is.</summary>
    public static async Task<string> AccessibilityProblemsAsync(this IPage page, string state) =>
        await page.ViolationsAsync(state) + await page.FocusProblemsAsync(state);

    public static async Task AssertAccessibleAsync(this IPage page, string state)
    {
        var problems = await page.AccessibilityProblemsAsync(state);
        Assert.True(problems.Length == 0, "Accessibility problems:\n" + problems);
    }

    /// <summary>
    /// Tabs through the whole page from its top and names every stop whose focus cannot be seen: no outline of at least
    /// 2 px (the browser's own thin ring does not count, so the page must draw its own) and no box shadow.
    /// </summary>
    public static async Task<string> FocusProblemsAsync(this IPage page, string state, int limit = 300)
    {
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        var problems = new StringBuilder();
        var first = (string?)null;
        for (var i = 0; i < limit; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await FocusAsync(page);
            if (stop.Element is "" or "body" || stop.Element == first) return problems.ToString();
            first ??= stop.Element;
            if (!stop.Visible) problems.Append("- ").Append(state).Append(": no visible focus on ").AppendLine(stop.Element);
        }
        return problems.Append("- ").Append(state).Append(": the tab order did not come round within ").Append(limit).AppendLine(" stops").ToString();
    }

    /// <summary>
    /// Presses Tab until the element matching <paramref name="selector"/> has the focus, as a keyboard user would reach
    /// it, checking on the way that every stop shows its focus. Fails when it is not reached.
    /// </summary>
    public static async Task TabToAsync(this IPage page, string selector, int limit = 60)
    {
        var passed = new List<string>();
        for (var i = 0; i < limit; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await FocusAsync(page, selector);
            Assert.True(stop.Visible, $"No visible focus on {stop.Element}");
            if (stop.Matches) return;
            passed.Add(stop.Element);
        }
        Assert.Fail($"{selector} was not reached with Tab; the stops were:\n{string.Join("\n", passed)}");
    }

    /// <summary>Where the focus is (filled by Playwright from the script's JSON, hence settable).</summary>
    private sealed class Focus
    {
        public string Element { get; set; } = "";
        public bool Visible { get; set; }
        public bool Matches { get; set; }
    }

    private static Task<Focus> FocusAsync(IPage page, string? selector = null) =>
        page.EvaluateAsync<Focus>(
            """
            selector => {
                const e = document.activeElement;
                if (!e || e === document.body) return { element: 'body', visible: false, matches: false };
                const style = getComputedStyle(e);
                const outline = style.outlineStyle !== 'none' && style.outlineStyle !== 'auto' && parseFloat(style.outlineWidth) >= 2;
                const shadow = style.boxShadow && style.boxShadow !== 'none';
                const test = e.getAttribute('data-test');
                const name = e.tagName.toLowerCase() + (test ? `[data-test='${test}']` : '') + (e.id ? '#' + e.id : '')
                    + ' "' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40) + '"';
                return { element: name, visible: outline || !!shadow, matches: !!selector && e.matches(selector) };
            }
            """, selector);
}
