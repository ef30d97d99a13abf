using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>One captured log line: level, category and everything it carried (message, arguments, exception) as text.</summary>
public sealed record CapturedLine(LogLevel Level, string Category, string Text);

/// <summary>
/// Every log line written through Microsoft.Extensions.Logging in this test process, down to Trace, as the EventSource
/// provider that ASP.NET Core hosts register by default publishes it. A listener's level replaces the hosts' configured
/// levels for that provider, so <see cref="AsConfiguredByTheSeed"/> applies the seed's one quieting rule again.
/// Dispose to stop listening.
/// </summary>
public sealed class LogCapture : EventListener
{
    private const string LoggingEventSource = "Microsoft-Extensions-Logging";

    // FormattedMessage (4) | JsonMessage (8): the rendered line plus its arguments and exception as JSON.
    private const EventKeywords MessageKeywords = (EventKeywords)(4 | 8);

    private readonly ConcurrentQueue<CapturedLine> _lines = new();

    public IReadOnlyCollection<CapturedLine> Lines => _lines;

    /// <summary>
    /// What a logger configured as <c>localtenant.json</c> writes: everything, except <c>Microsoft.AspNetCore</c> below
    /// Warning. Those categories print request URLs, and the deprecated <c>/authorize?access_token=</c> flow puts a
    /// token in the URL; that is why the seed keeps them quiet.
    /// </summary>
    public IEnumerable<CapturedLine> AsConfiguredByTheSeed =>
        _lines.Where(l => l.Level >= LogLevel.Warning || !l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == LoggingEventSource) EnableEvents(eventSource, EventLevel.Verbose, MessageKeywords);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventSource.Name != LoggingEventSource || eventData.Payload is not { Count: > 2 } payload) return;
        var level = payload[0] is int l ? (LogLevel)l : LogLevel.None;
        _lines.Enqueue(new CapturedLine(level, payload[2]?.ToString() ?? "", string.Join(" | ", payload.Select(p => p?.ToString()))));
    }
}
