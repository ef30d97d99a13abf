using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// Collects every log line a host writes once added to its <see cref="ILoggerFactory"/>, so a test can prove that no
/// secret reaches a log: <c>host.Services.GetRequiredService&lt;ILoggerFactory&gt;().AddProvider(capture)</c>.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
