using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// Every log record of a test app, through <see cref="FakeLogCollector"/>, with the look-ups tests assert on (what was,
/// and was not, logged). Each record wakes <see cref="Eventually"/>.
/// </summary>
internal sealed class LogCollector
{
    public LogCollector()
    {
        Collector = FakeLogCollector.Create(new FakeLogCollectorOptions { OutputSink = _ => Eventually.Notify() });
        Provider = new FakeLoggerProvider(Collector);
    }

    public FakeLogCollector Collector { get; }

    /// <summary>The provider to add to a logging builder; it writes to <see cref="Collector"/>.</summary>
    public ILoggerProvider Provider { get; }

    public IReadOnlyList<FakeLogRecord> Entries => Collector.GetSnapshot();

    public IReadOnlyList<FakeLogRecord> Named(string eventName) => [.. Entries.Where(e => e.Id.Name == eventName)];

    public string AllText => string.Join('\n', Entries.Select(e => e.Message + " " + e.Exception));
}
