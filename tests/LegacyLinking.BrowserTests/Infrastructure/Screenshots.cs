using LegacyLinking.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LegacyLinking.BrowserTests.Infrastructure;

/// <summary>
/// The README's pictures (<c>docs/images/*.png</c>), taken by the journeys that check those pages, so they show the
/// pages as they are now: a change to a page changes its picture in the next test run.
/// </summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryFolder.Root(), "docs", "images");
        Directory.CreateDirectory(folder);
        await page.SetViewportSizeAsync(1200, 800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }
}
