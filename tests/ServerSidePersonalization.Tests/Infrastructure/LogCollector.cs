using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>Keeps every log entry of a test app so tests can assert on what was (and was not) logged.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public IReadOnlyList<LogEntry> Named(string eventName) => [.. Entries.Where(e => e.EventName == eventName)];

    public string AllText => string.Join('\n', Entries.Select(e => e.Message + " " + e.Exception));

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new LogEntry(category, logLevel, eventId.Name, formatter(state, exception), exception));
    }
}

internal sealed record LogEntry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);
