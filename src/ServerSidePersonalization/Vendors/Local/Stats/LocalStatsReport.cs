namespace ServerSidePersonalization.Vendors.Local.Stats;

/// <summary>
/// Impressions and clicks of the Local destination's records, per experience and variation (variations in ordinal order
/// of their ids: the first is A, the second B), with each rate's interval and, for two variations, their comparison.
/// </summary>
internal sealed record LocalStatsReport(IReadOnlyList<ExperienceStats> Experiences)
{
    /// <summary>The label of events recorded without a variation id.</summary>
    public const string NoVariation = "(none)";

    public static LocalStatsReport From(IEnumerable<LocalTrackingRecord> records)
    {
        var experiences = records
            .GroupBy(r => r.Experience, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(experience =>
            {
                List<VariationStats> variations = [.. experience
                    .GroupBy(r => r.Variation ?? NoVariation, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(v => new VariationStats(v.Key, v.Count(r => r.Kind == "impression"), v.Count(r => r.Kind == "click")))];
                return new ExperienceStats(experience.Key, variations, variations is [var a, var b] ? Compare(a, b) : null);
            });
        return new LocalStatsReport([.. experiences]);
    }

    private static VariationComparison Compare(VariationStats a, VariationStats b)
    {
        var difference = ClickThroughStatistics.Difference(a.Clicks, a.Impressions, b.Clicks, b.Impressions);
        return new VariationComparison(
            a,
            b,
            a.Rate is { } rateA && b.Rate is { } rateB ? rateB - rateA : null,
            difference,
            ClickThroughStatistics.Verdict(a.Variation, a.Impressions, b.Variation, b.Impressions, difference));
    }
}

/// <summary>One experience's variations, and their comparison when there are exactly two.</summary>
internal sealed record ExperienceStats(string Key, IReadOnlyList<VariationStats> Variations, VariationComparison? Comparison);

/// <summary>One variation's counts; the rate and its interval are null without impressions.</summary>
internal sealed record VariationStats(string Variation, long Impressions, long Clicks)
{
    public double? Rate => Impressions > 0 ? (double)Clicks / Impressions : null;

    public RateInterval? Interval => ClickThroughStatistics.Wilson(Clicks, Impressions);
}

/// <summary>B's rate minus A's, its interval and the verdict.</summary>
internal sealed record VariationComparison(VariationStats A, VariationStats B, double? Difference, RateInterval? Interval, string Verdict);
