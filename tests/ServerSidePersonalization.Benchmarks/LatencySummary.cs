using System.Globalization;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>Page latency of one phase, in milliseconds, and the table it prints as.</summary>
internal readonly record struct LatencySummary(int Count, double P50, double P90, double P99, double Max)
{
    public static string Header(string first = "phase") =>
        string.Create(CultureInfo.InvariantCulture, $"{first,-34} {"n",6} {"p50",7} {"p90",7} {"p99",7} {"max",8}");

    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? default
            : new LatencySummary(sorted.Length, At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1]);
    }

    public static LatencySummary Of(IEnumerable<PageView> views) => Of(views.Select(v => v.Milliseconds));

    /// <summary>The mean of two measurements of the same thing (a baseline taken before and after).</summary>
    public static LatencySummary Mean(LatencySummary a, LatencySummary b) =>
        new(a.Count + b.Count, (a.P50 + b.P50) / 2, (a.P90 + b.P90) / 2, (a.P99 + b.P99) / 2, Math.Max(a.Max, b.Max));

    public string Row(string phase) =>
        string.Create(CultureInfo.InvariantCulture, $"{phase,-34} {Count,6} {P50,7:0.00} {P90,7:0.00} {P99,7:0.00} {Max,8:0.00}");

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
}
