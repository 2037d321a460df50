namespace ServerSidePersonalization.Vendors.Local.Stats;

/// <summary>
/// The statistics of the stats page: a click-through rate's 95% Wilson score interval, the 95% interval of the
/// difference of two rates by Newcombe's hybrid score method (his method 10, built from the two Wilson intervals;
/// Statistics in Medicine 17:873-890, 1998), and a verdict in plain words. Both intervals stay within [0, 1] and
/// [-1, 1] and behave at 0% and 100%, where the textbook normal interval collapses to a point.
/// </summary>
internal static class ClickThroughStatistics
{
    /// <summary>The standard normal quantile for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959964;

    /// <summary>Below this many impressions in either variation the verdict is "not enough data yet".</summary>
    public const long MinimumImpressions = 100;

    public const string NotEnoughData = "not enough data yet";

    public const string NoClearDifference = "no clear difference yet";

    /// <summary>
    /// The Wilson score interval of <paramref name="clicks"/> in <paramref name="impressions"/>; null without
    /// impressions, or with more clicks than impressions (not a proportion: repeated clicks, or impressions evicted
    /// from the store while their clicks were kept).
    /// </summary>
    public static RateInterval? Wilson(long clicks, long impressions)
    {
        if (impressions <= 0 || clicks < 0 || clicks > impressions)
        {
            return null;
        }

        var n = (double)impressions;
        var p = clicks / n;
        var z2 = Z95 * Z95;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = Z95 / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));

        // The bounds are exactly 0 at p = 0 and 1 at p = 1, where rounding would leave them a hair off.
        return new RateInterval(clicks == 0 ? 0 : centre - half, clicks == impressions ? 1 : centre + half);
    }

    /// <summary>The interval of rate B minus rate A (Newcombe's hybrid score); null when either rate has no interval.</summary>
    public static RateInterval? Difference(long clicksA, long impressionsA, long clicksB, long impressionsB)
    {
        if (Wilson(clicksA, impressionsA) is not { } a || Wilson(clicksB, impressionsB) is not { } b)
        {
            return null;
        }

        var pA = (double)clicksA / impressionsA;
        var pB = (double)clicksB / impressionsB;
        var difference = pB - pA;
        var below = Math.Sqrt(Square(pB - b.Lower) + Square(a.Upper - pA));
        var above = Math.Sqrt(Square(b.Upper - pB) + Square(pA - a.Lower));
        return new RateInterval(Math.Max(-1, difference - below), Math.Min(1, difference + above));
    }

    /// <summary>
    /// "not enough data yet" while either variation has fewer than <see cref="MinimumImpressions"/> impressions (or
    /// no interval); "no clear difference yet" while the difference's interval includes 0; else "<paramref name="nameB"/>
    /// ahead" when the whole interval of B minus A is above 0, "<paramref name="nameA"/> ahead" when it is below.
    /// </summary>
    public static string Verdict(string nameA, long impressionsA, string nameB, long impressionsB, RateInterval? difference) =>
        impressionsA < MinimumImpressions || impressionsB < MinimumImpressions || difference is not { } interval
            ? NotEnoughData
            : interval.ContainsZero ? NoClearDifference
            : interval.Lower > 0 ? $"{nameB} ahead"
            : $"{nameA} ahead";

    private static double Square(double value) => value * value;
}
