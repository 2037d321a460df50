using ServerSidePersonalization.Vendors.Local.Stats;

namespace ServerSidePersonalization.Tests.Vendors.Local.Stats;

/// <summary>
/// The intervals against the worked examples Newcombe published (to four decimals), not against this code's own output:
/// R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods", Statistics
/// in Medicine 17:857-872 (1998), Table I, method 3 (Wilson score); and "Interval estimation for the difference between
/// independent proportions: comparison of eleven methods", Statistics in Medicine 17:873-890 (1998), Table II, method 10
/// (hybrid score, from the two Wilson intervals).
/// </summary>
public sealed class ClickThroughStatisticsTests
{
    private const int Decimals = 4;

    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_NewcombesSingleProportionExamples_MatchThePublishedInterval(long clicks, long impressions, double lower, double upper)
    {
        var interval = ClickThroughStatistics.Wilson(clicks, impressions);

        Assert.NotNull(interval);
        Assert.Equal(lower, interval.Value.Lower, Decimals);
        Assert.Equal(upper, interval.Value.Upper, Decimals);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 3)]
    [InlineData(-1, 10)]
    public void Wilson_NoImpressionsOrMoreClicksThanImpressions_Null(long clicks, long impressions) =>
        Assert.Null(ClickThroughStatistics.Wilson(clicks, impressions));

    [Fact]
    public void Wilson_AllClicked_UpperBoundIsExactlyOne()
    {
        var interval = ClickThroughStatistics.Wilson(29, 29);

        Assert.Equal(1.0, interval!.Value.Upper);
        Assert.Equal(0.0, ClickThroughStatistics.Wilson(0, 29)!.Value.Lower);
    }

    // Newcombe's examples are p1 - p2; here B is his first sample and A his second, so B - A is his difference.
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    [InlineData(10, 10, 0, 10, 0.6075, 1.0000)]
    public void Difference_NewcombesEightExamples_MatchThePublishedHybridScoreInterval(
        long clicksB, long impressionsB, long clicksA, long impressionsA, double lower, double upper)
    {
        var interval = ClickThroughStatistics.Difference(clicksA, impressionsA, clicksB, impressionsB);

        Assert.NotNull(interval);
        Assert.Equal(lower, interval.Value.Lower, Decimals);
        Assert.Equal(upper, interval.Value.Upper, Decimals);
    }

    [Fact]
    public void Difference_SwappedVariations_IntervalMirrorsAroundZero()
    {
        var forward = ClickThroughStatistics.Difference(48, 80, 56, 70)!.Value;
        var backward = ClickThroughStatistics.Difference(56, 70, 48, 80)!.Value;

        Assert.Equal(-0.3339, backward.Lower, Decimals);
        Assert.Equal(-0.0524, backward.Upper, Decimals);
        Assert.Equal(-forward.Upper, backward.Lower, 12);
    }

    [Fact]
    public void Difference_AVariationWithoutImpressions_Null() =>
        Assert.Null(ClickThroughStatistics.Difference(0, 0, 5, 100));

    [Theory]
    [InlineData(99, 500, 0.05, 0.2, "not enough data yet")]
    [InlineData(500, 99, 0.05, 0.2, "not enough data yet")]
    [InlineData(100, 100, -0.05, 0.2, "no clear difference yet")]
    [InlineData(100, 100, 0.0, 0.2, "no clear difference yet")]
    [InlineData(100, 100, 0.01, 0.2, "blue ahead")]
    [InlineData(100, 100, -0.2, -0.01, "red ahead")]
    public void Verdict_ByImpressionsAndTheDifferencesInterval_SaysItInPlainWords(long impressionsA, long impressionsB, double lower, double upper, string expected) =>
        Assert.Equal(expected, ClickThroughStatistics.Verdict("red", impressionsA, "blue", impressionsB, new RateInterval(lower, upper)));

    [Fact]
    public void Verdict_NoInterval_NotEnoughData() =>
        Assert.Equal("not enough data yet", ClickThroughStatistics.Verdict("red", 500, "blue", 500, difference: null));
}
