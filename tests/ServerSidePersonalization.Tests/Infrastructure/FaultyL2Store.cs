using System.Collections.Concurrent;
using ServerSidePersonalization.Caching;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// An L2 store in memory whose faults a test switches on and off: it throws, hangs until the caller gives up, or
/// answers the wrong number of values. Beside the real-Redis tests, it shows what the cache does with a failing L2
/// on the fake clock, without a process to stop.
/// </summary>
internal sealed class FaultyL2Store : IL2Store
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private int _gets;
    private int _sets;

    /// <summary>What the next calls do; <see cref="L2Fault.None"/> by default.</summary>
    public L2Fault Fault { get; set; }

    /// <summary>How many reads were asked for, faulty or not.</summary>
    public int Gets => Volatile.Read(ref _gets);

    /// <summary>How many writes were asked for, faulty or not.</summary>
    public int Sets => Volatile.Read(ref _sets);

    /// <summary>The entries written so far.</summary>
    public IReadOnlyDictionary<string, byte[]> Entries => _entries;

    public async Task<IReadOnlyList<byte[]?>> GetAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        Eventually.Notify();
        await ApplyFaultAsync(cancellationToken);
        var values = keys.Select(k => _entries.GetValueOrDefault(k)).ToList();
        return Fault == L2Fault.WrongCount ? values[1..] : values;
    }

    public async Task SetAsync(IReadOnlyList<L2Entry> entries, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sets);
        await ApplyFaultAsync(cancellationToken);
        foreach (var entry in entries)
        {
            _entries[entry.Key] = entry.Value;
        }

        Eventually.Notify();
    }

    private async Task ApplyFaultAsync(CancellationToken cancellationToken)
    {
        switch (Fault)
        {
            case L2Fault.Throw:
                throw new InvalidOperationException("An injected L2 failure.");
            case L2Fault.Hang:
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
                break;
        }
    }
}
