namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// Waits for background work (deliveries, writes, reloads) until a condition holds; the one place tests wait for it.
/// The test doubles (<see cref="RecordingDestination"/>, <see cref="StubVendorServer"/>, the log collector,
/// <see cref="ObservedClock"/>) call <see cref="Notify"/> when something happens, and each notification re-checks the
/// condition. The deadline only stops a test that would otherwise hang; it asserts nothing about how long work takes.
/// </summary>
internal static class Eventually
{
    /// <summary>Long enough that a busy machine never reaches it while the work is still on its way.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the condition is also checked without a notification. Some state changes outside this process (a real
    /// Redis, the file system) or inside the library where no test double sees it (its counters); this is a safety net
    /// for those, not a measure of anything.
    /// </summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(50);

    private static TaskCompletionSource _changed = NewSignal();

    /// <summary>Tells every waiting condition to look again; test doubles call it on every change they see.</summary>
    public static void Notify() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), within);

    /// <summary>The same for a condition that must itself wait (a query to a real server).</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? Deadline);
        while (true)
        {
            // Taken before the check, so a change made while checking still wakes the next wait.
            var changed = Volatile.Read(ref _changed).Task;
            if (await condition())
            {
                return true;
            }

            try
            {
                await changed.WaitAsync(Recheck, deadline.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return await condition();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
