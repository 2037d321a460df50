using System.Diagnostics;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>Waits for background work (deliveries, writes) by polling a condition, bounded; never a fixed sleep.</summary>
internal static class Eventually
{
    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), within);

    /// <summary>The same for a condition that must itself wait (a query to a real server).</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(10);
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
