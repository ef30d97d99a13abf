using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Pages.Migration;

/// <summary>Which paths are still used, by whom, how well each works, and when a legacy path can be switched off.</summary>
public sealed class IndexModel(MigrationReport report, IDbContextFactory<AppDbContext> databases, FlowEventRecorder recorder, FlowEventWriter writer, TimeProvider clock) : PageModel
{
    public ReportFilter Filter { get; private set; } = null!;
    public List<string> Errors { get; } = [];
    public ReportView Report { get; private set; } = null!;
    public ShareChart Chart { get; private set; } = null!;
    public IReadOnlyList<FlowEvent> Events { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;
    public bool HasNextPage { get; private set; }
    public long QueueDropped => recorder.Dropped;
    public int QueuePending => recorder.Pending;
    public long WriterLost => writer.Lost;

    public async Task<IActionResult> OnGetAsync(int? page, CancellationToken cancellationToken)
    {
        Filter = ReportFilter.Parse(Request.Query, clock.GetUtcNow().UtcDateTime, Errors);
        if (Errors.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
        Report = await report.BuildAsync(Filter, cancellationToken);
        Chart = ShareChart.From(Report.Share, Filter.Bucket);
        PageNumber = Math.Clamp(page ?? 1, 1, 100_000);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await (await EventQuery.ListAsync(db, Filter, cancellationToken))
            .Skip((PageNumber - 1) * EventQuery.PageSize).Take(EventQuery.PageSize + 1).ToListAsync(cancellationToken);
        HasNextPage = rows.Count > EventQuery.PageSize;
        Events = rows.Take(EventQuery.PageSize).ToList();
        return Page();
    }

    /// <summary><c>GET /Migration?handler=Export&amp;format=json|csv</c> with the page's filters, streamed.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        var filter = ReportFilter.Parse(Request.Query, clock.GetUtcNow().UtcDateTime, Errors);
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

    /// <summary>The current filters as route values, for links (paging, export).</summary>
    public Dictionary<string, string> FilterValues(int? page = null)
    {
        var values = new Dictionary<string, string>
        {
            ["from"] = Filter.From.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["bucket"] = Filter.Bucket,
        };
        // An open range stays open ("until now"), so paging and exports include what happened since the page loaded.
        if (!string.IsNullOrEmpty(Request.Query["to"])) values["to"] = Filter.To.ToString("yyyy-MM-ddTHH:mm:ssZ");
        if (Filter.Operation is not null) values["operation"] = Filter.Operation;
        if (Filter.Flow is not null) values["flow"] = Filter.Flow;
        if (Filter.Outcome is not null) values["outcome"] = Filter.Outcome;
        if (Filter.UserId is not null) values["user"] = Filter.UserId;
        if (page is not null) values["page"] = page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }
}
