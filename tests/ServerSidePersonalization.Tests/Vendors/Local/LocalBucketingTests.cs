using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Vendors.Local;

public sealed class LocalBucketingTests
{
    // The largest double below 1: the highest point 53 random bits can give.
    private const double HighestPoint = 1 - (1.0 / (1UL << 53));

    public static TheoryData<string, string, double> KnownVectors => new()
    {
        // Computed outside .NET (Python hashlib): the first 8 bytes of SHA-256("key\nuser"), big-endian, >> 11, * 2^-53.
        { "hero", "visitor-1", 0.9638798175811518 },
        { "checkout-banner", "customer-42", 0.9477923946902419 },
        { "hero", "kundé-ü", 0.11213394154907208 },
        { "hero", new string('x', 600), 0.6656437446023794 },
    };

    [Theory]
    [MemberData(nameof(KnownVectors))]
    public void Point_KnownVector_MatchesPrecomputedValue(string key, string userId, double expected)
    {
        Assert.Equal(expected, LocalBucketing.Point(key, userId));
    }

    [Theory]
    [InlineData("hero", "visitor-1")]
    [InlineData("checkout-banner", "customer-42")]
    [InlineData("hero", "kundé-ü")]
    [InlineData("a", "")]
    public void Point_AnyInput_EqualsSha256OfKeyNewlineUser(string key, string userId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + userId));
        ulong first8 = 0;
        for (var i = 0; i < 8; i++)
        {
            first8 = (first8 << 8) | hash[i];
        }

        var expected = (first8 >> 11) * Math.Pow(2, -53);

        Assert.Equal(expected, LocalBucketing.Point(key, userId));
    }

    [Fact]
    public void Point_SameKeyAndUser_IsTheSameOnEveryCall()
    {
        for (var i = 0; i < 100; i++)
        {
            var userId = $"visitor-{i}";
            var first = LocalBucketing.Point("hero", userId);

            Assert.Equal(first, LocalBucketing.Point("hero", userId));
            Assert.Equal(first, LocalBucketing.Point(new string("hero".ToCharArray()), new string(userId.ToCharArray())));
        }
    }

    [Fact]
    public void Point_ManyUsers_IsInZeroToOne()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var point = LocalBucketing.Point("range", $"user-{i}");

            Assert.InRange(point, 0.0, HighestPoint);
        }
    }

    [Fact]
    public void Point_KeyAndUserSplitDifferently_GivesDifferentPoints()
    {
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        Assert.NotEqual(LocalBucketing.Point("ab", "c"), LocalBucketing.Point("a", "bc"));
    }

    [Fact]
    public void Choose_TwoIndependentFiftyFiftyExperiences_VariationInOneDoesNotPredictTheOther()
    {
        const int users = 10_000;
        var a = Experiment("exp-a", ("A1", 50), ("A2", 50));
        var b = Experiment("exp-b", ("B1", 50), ("B2", 50));
        var combinations = new Dictionary<(string, string), int>();

        for (var i = 0; i < users; i++)
        {
            var userId = $"user-{i}";
            var inA = LocalBucketing.Choose(a, LocalBucketing.Point(a.Key, userId)).Id;
            var inB = LocalBucketing.Choose(b, LocalBucketing.Point(b.Key, userId)).Id;
            combinations[(inA, inB)] = combinations.GetValueOrDefault((inA, inB)) + 1;
        }

        foreach (var combination in new[] { ("A1", "B1"), ("A1", "B2"), ("A2", "B1"), ("A2", "B2") })
        {
            Assert.InRange(combinations.GetValueOrDefault(combination) / (double)users, 0.23, 0.27);
        }
    }

    [Fact]
    public void Choose_FiftyFiftyOver100000Users_EachWithinOnePercent()
    {
        var counts = Distribute(Experiment("split", ("control", 50), ("treatment", 50)), 100_000);

        Assert.InRange(counts["control"], 0.49, 0.51);
        Assert.InRange(counts["treatment"], 0.49, 0.51);
    }

    [Fact]
    public void Choose_TenThirtySixtyOver100000Users_EachWithinOnePercent()
    {
        var counts = Distribute(Experiment("three-way", ("small", 10), ("medium", 30), ("large", 60)), 100_000);

        Assert.InRange(counts["small"], 0.09, 0.11);
        Assert.InRange(counts["medium"], 0.29, 0.31);
        Assert.InRange(counts["large"], 0.59, 0.61);
    }

    [Fact]
    public void Choose_ZeroWeightVariations_AreNeverChosen()
    {
        var experience = Experiment("paused", ("off-first", 0), ("live-1", 1), ("off-middle", 0), ("live-2", 3), ("off-last", 0));

        var counts = Distribute(experience, 20_000);

        Assert.Equal(["live-1", "live-2"], counts.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(HighestPoint)]
    public void Choose_ZeroWeightVariationsAtTheEdges_AreNotChosenAtTheExtremePoints(double point)
    {
        var experience = Experiment("edges", ("off-first", 0), ("live", 1), ("off-last", 0));

        Assert.Equal("live", LocalBucketing.Choose(experience, point).Id);
    }

    [Theory]
    [InlineData(0.0, "first")]
    [InlineData(0.2499, "first")]
    [InlineData(0.25, "second")]
    [InlineData(0.9999, "second")]
    [InlineData(HighestPoint, "second")]
    public void Choose_PointOnWeightScale_PicksTheVariationWhoseShareContainsIt(double point, string expected)
    {
        // Weights are relative: 1 and 3 split the interval at 1/4.
        var experience = Experiment("quarter", ("first", 1), ("second", 3));

        Assert.Equal(expected, LocalBucketing.Choose(experience, point).Id);
    }

    private static Dictionary<string, double> Distribute(LocalExperience experience, int users)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < users; i++)
        {
            var id = LocalBucketing.Choose(experience, LocalBucketing.Point(experience.Key, $"synthetic-user-{i}")).Id;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts.ToDictionary(c => c.Key, c => c.Value / (double)users, StringComparer.Ordinal);
    }

    private static LocalExperience Experiment(string key, params (string Id, double Weight)[] variations) => new(
        key,
        Enabled: true,
        [.. variations.Select(v => new LocalVariation(
            v.Id,
            v.Weight,
            new Experience(key, new Dictionary<string, ExperienceValue>(), new ExperienceAttribution("Local", default(JsonElement), v.Id))))]);
}
