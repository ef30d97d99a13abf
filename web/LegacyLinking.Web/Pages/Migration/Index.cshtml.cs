using System.Globalization;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Pages.Migration;

/// <summary>Which paths are still used, by whom, how well each works, and when a legacy path can be switched off.</summary>
public sealed class IndexModel(MigrationReport report, IDbContextFactory<AppDbContext> databases, FlowEventRecorder recorder, FlowEventWriter writer, TimeProvider clock) : PageModel
{
    /// <summary>
    /// The event list's page number. Read from the query by hand: Razor Pages keeps the route value <c>page</c> for the
    /// page's own name, so a bound <c>page</c> parameter (and a tag helper's <c>page</c> route value) never sees it.
    /// </summary>
    public const string PageParameter = "page";

    public const int MaxPage = 100_000;

    public ReportFilter Filter { get; private set; } = null!;
    public List<string> Errors { get; } = [];
    public ReportView Report { get; private set; } = null!;
    public IReadOnlyList<ShareChart> Charts { get; private set; } = [];

    /// <summary>The chart bucket the query asked for (a known one), which the filter may have made coarser.</summary>
    public string? BucketAsked => ReportFilter.Buckets.FirstOrDefault(b => string.Equals(b, Request.Query["bucket"], StringComparison.OrdinalIgnoreCase));
    public IReadOnlyList<FlowEvent> Events { get; private set; } = [];
    public IReadOnlyList<string> UserChoices { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;
    public bool HasNextPage { get; private set; }
    public long QueueDropped => recorder.Dropped;
    public int QueuePending => recorder.Pending;
    public long WriterLost => writer.Lost;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Filter = await ParseAsync(cancellationToken);
        PageNumber = ParsePage(Request.Query[PageParameter], Errors);
        if (Errors.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
        Report = await report.BuildAsync(Filter, cancellationToken);
        Charts = Report.Share.Select(s => ShareChart.From(s, Filter.Bucket)).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        UserChoices = await KnownUsers.ActiveInAsync(db, Filter.From, Filter.To, cancellationToken);
        var rows = await (await EventQuery.ListAsync(db, Filter, cancellationToken))
            .Skip((PageNumber - 1) * EventQuery.PageSize).Take(EventQuery.PageSize + 1).ToListAsync(cancellationToken);
        HasNextPage = rows.Count > EventQuery.PageSize;
        Events = rows.Take(EventQuery.PageSize).ToList();
        return Page();
    }

    /// <summary><c>GET /Migration?handler=Export&amp;format=json|csv</c> with the page's filters, streamed.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        var filter = await ParseAsync(cancellationToken);
        if (format is not ("json" or "csv")) Errors.Add("'format' must be json or csv.");
        if (Errors.Count > 0) return BadRequest(new { errors = Errors });

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // Connected before the first byte is sent: a database that does not answer gets the 503 page, not a cut-off file.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var events = (await EventQuery.ListAsync(db, filter, cancellationToken)).AsAsyncEnumerable();
        Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"legacylinking-events.{format}\"";
        if (format == "csv") await FlowEventExport.WriteCsvAsync(events, Response.Body, cancellationToken);
        else await FlowEventExport.WriteJsonAsync(events, Response.Body, cancellationToken);
        return new EmptyResult();
    }

    /// <summary>The filter from the query, a typed user id matched to the recorded one whatever its case.</summary>
    private async Task<ReportFilter> ParseAsync(CancellationToken cancellationToken)
    {
        var filter = ReportFilter.Parse(Request.Query, clock.GetUtcNow().UtcDateTime, Errors);
        if (filter.UserId is null) return filter;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return filter with { UserId = await KnownUsers.ResolveAsync(db, filter.UserId, cancellationToken) };
    }

    private static int ParsePage(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return 1;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= MaxPage) return page;
        errors.Add($"'page' must be a whole number from 1 to {MaxPage:N0}.");
        return 1;
    }

    /// <summary>This page with the current filters (and <paramref name="page"/> of the event list, or an export).</summary>
    public string Link(int? page = null, string? exportFormat = null, string? operation = null)
    {
        var values = FilterValues();
        if (operation is not null) values = [.. values.Where(v => v.Key != "operation"), new("operation", operation)];
        if (page is not null) values.Add(new(PageParameter, page.Value.ToString(CultureInfo.InvariantCulture)));
        if (exportFormat is not null)
        {
            values.Add(new("handler", "Export"));
            values.Add(new("format", exportFormat));
        }
        return Url.Content("~/Migration") + QueryString.Create(values);
    }

    /// <summary>The current filters as query values.</summary>
    private List<KeyValuePair<string, string?>> FilterValues()
    {
        var values = new List<KeyValuePair<string, string?>>
        {
            new("from", Filter.From.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            new("bucket", Filter.Bucket),
        };
        // An open range stays open ("until now"), so paging and exports include what happened since the page loaded.
        if (!ReportFilter.IsOpenEnded(Request.Query["to"])) values.Add(new("to", Filter.To.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        var operation = Filter.Operation ?? (Filter.ExcludeSuggestions ? null : ReportFilter.AllOperations);
        if (operation is not null) values.Add(new("operation", operation));
        if (Filter.Flow is not null) values.Add(new("flow", Filter.Flow));
        if (Filter.Outcome is not null) values.Add(new("outcome", Filter.Outcome));
        if (Filter.UserId is not null) values.Add(new("user", Filter.UserId));
        return values;
    }
}
