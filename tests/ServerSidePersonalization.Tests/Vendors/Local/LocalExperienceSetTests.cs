using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Vendors.Local;

public sealed class LocalExperienceSetTests
{
    private const string Source = "test-experiences.json";

    [Fact]
    public void Parse_ValidFile_ReturnsEveryExperienceWithItsVariationsInFileOrder()
    {
        var set = Parse("""
            {
              "experiences": [
                { "key": "hero", "name": "Homepage hero", "variations": [
                  { "id": "control", "weight": 1, "payload": { "title": "Welcome" } },
                  { "id": "sale", "weight": 3, "payload": { "title": "Sale!" } }
                ] },
                { "key": "banner", "variations": [ { "id": "only", "payload": {} } ] }
              ]
            }
            """);

        Assert.Equal(2, set.Count);
        var hero = Assert.IsType<LocalExperience>(set.Find("hero"));
        Assert.Equal("hero", hero.Key);
        Assert.True(hero.Enabled);
        Assert.Equal(["control", "sale"], hero.Variations.Select(v => v.Id));
        Assert.Equal([1.0, 3.0], hero.Variations.Select(v => v.Weight));
        Assert.Equal("Welcome", hero.Variations[0].Experience.GetString("title"));
        Assert.Equal("Sale!", hero.Variations[1].Experience.GetString("title"));
        Assert.Equal("hero", hero.Variations[1].Experience.Key);
        Assert.NotNull(set.Find("banner"));
    }

    [Fact]
    public void Parse_KeyInOtherCase_IsNotFound()
    {
        var set = Parse("""{ "experiences": [ { "key": "hero", "variations": [ {} ] } ] }""");

        Assert.Null(set.Find("HERO"));
        Assert.Null(set.Find("other"));
    }

    [Fact]
    public void Parse_VariationWithoutWeight_WeighsOne()
    {
        var set = Parse("""{ "experiences": [ { "key": "hero", "variations": [ { "id": "a" }, { "id": "b", "weight": 2 } ] } ] }""");

        Assert.Equal([1.0, 2.0], set.Find("hero")!.Variations.Select(v => v.Weight));
    }

    [Fact]
    public void Parse_VariationsWithoutIds_GetDistinctIds()
    {
        var set = Parse("""{ "experiences": [ { "key": "hero", "variations": [ {}, {}, {} ] } ] }""");

        var ids = set.Find("hero")!.Variations.Select(v => v.Id).ToList();
        Assert.Equal(3, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
    }

    [Fact]
    public void Parse_EnabledFalse_KeepsTheExperienceMarkedDisabled()
    {
        var set = Parse("""{ "experiences": [ { "key": "hero", "enabled": false, "variations": [ {} ] }, { "key": "on", "enabled": true, "variations": [ {} ] } ] }""");

        Assert.False(set.Find("hero")!.Enabled);
        Assert.True(set.Find("on")!.Enabled);
    }

    [Fact]
    public void Parse_PayloadOfEveryJsonKind_InfersItsDataType()
    {
        var set = Parse("""
            { "experiences": [ { "key": "types", "variations": [ { "payload": {
              "text": "hello", "count": 42, "ratio": 0.25, "flag": true, "off": false,
              "object": { "a": 1 }, "array": [1, 2], "nothing": null
            } } ] } ] }
            """);
        var payload = set.Find("types")!.Variations[0].Experience.Payload;

        Assert.Equal(ExperienceDataType.String, payload["text"].DataType);
        Assert.Equal(ExperienceDataType.Number, payload["count"].DataType);
        Assert.Equal(ExperienceDataType.Float, payload["ratio"].DataType);
        Assert.Equal(ExperienceDataType.Boolean, payload["flag"].DataType);
        Assert.Equal(ExperienceDataType.Boolean, payload["off"].DataType);
        Assert.Equal(ExperienceDataType.Json, payload["object"].DataType);
        Assert.Equal(ExperienceDataType.Json, payload["array"].DataType);
        Assert.Equal(JsonValueKind.Null, payload["nothing"].Value.ValueKind);

        var experience = set.Find("types")!.Variations[0].Experience;
        Assert.Equal("hello", experience.GetString("text"));
        Assert.True(experience.TryGetInt64("count", out var count));
        Assert.Equal(42, count);
        Assert.Equal(0.25, experience.GetDouble("ratio"));
        Assert.True(experience.GetBoolean("flag"));
        Assert.True(experience.TryGetJson("array", out var array));
        Assert.Equal(2, array.Value.GetArrayLength());
    }

    [Fact]
    public void Parse_PayloadFieldNames_AreCaseInsensitive()
    {
        var set = Parse("""{ "experiences": [ { "key": "hero", "variations": [ { "payload": { "Title": "Hi" } } ] } ] }""");

        Assert.Equal("Hi", set.Find("hero")!.Variations[0].Experience.GetString("TITLE"));
    }

    [Fact]
    public void Parse_Variation_AttributionIsShapedLikeMoEngageExperienceContext()
    {
        var set = Parse("""
            { "experiences": [ { "key": "hero", "name": "Homepage hero", "variations": [
              { "id": "control", "name": "Control" }, { "id": "sale", "name": "Sale" }
            ] } ] }
            """);

        foreach (var variation in set.Find("hero")!.Variations)
        {
            var attribution = variation.Experience.Attribution;
            Assert.Equal(LocalExperienceSet.Vendor, attribution.Vendor);
            Assert.Equal(variation.Id, attribution.VariationId);

            var context = attribution.Context;
            Assert.Equal(JsonValueKind.Object, context.ValueKind);
            foreach (var property in new[] { "cid", "experience", "moe_locale_id", "moe_variation_id", "audience_name", "audience_id", "type" })
            {
                Assert.True(context.TryGetProperty(property, out var value), $"experience_context has no '{property}'");
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                Assert.False(string.IsNullOrEmpty(value.GetString()), $"experience_context '{property}' is empty");
            }

            Assert.Equal(variation.Id, context.GetProperty("moe_variation_id").GetString());
            Assert.Equal("Homepage hero", context.GetProperty("experience").GetString());
            Assert.Contains("hero", context.GetProperty("cid").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_ExperienceWithoutName_AttributionNamesItByKey()
    {
        var set = Parse("""{ "experiences": [ { "key": "banner", "variations": [ { "id": "v1" } ] } ] }""");

        Assert.Equal("banner", set.Find("banner")!.Variations[0].Experience.Attribution.Context.GetProperty("experience").GetString());
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var set = Parse("""
            {
              // The homepage hero.
              "experiences": [
                /* one variation */
                { "key": "hero", "variations": [ { "id": "only", "payload": { "title": "Hi", }, }, ], },
              ],
            }
            """);

        Assert.Equal("Hi", set.Find("hero")!.Variations[0].Experience.GetString("title"));
    }

    [Fact]
    public void Parse_EmptyExperiencesArray_ReturnsAnEmptySet()
    {
        Assert.Equal(0, Parse("""{ "experiences": [] }""").Count);
    }

    [Theory]
    [InlineData("""{ "experiences": [ """)]
    [InlineData("""{ "experiences": [ { "key": "hero" ] }""")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("""[ { "key": "hero" } ]""")]
    [InlineData("""{ "experiences": { "hero": {} } }""")]
    [InlineData("""{ "experiences": [ { "key": 5, "variations": [ {} ] } ] }""")]
    public void Parse_MalformedJson_ThrowsNamingTheFileAndJson(string json)
    {
        var ex = AssertParseFails(json);

        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        Assert.Contains("JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "experience": [] }""")]
    [InlineData("""{ "experiences": null }""")]
    [InlineData("null")]
    public void Parse_NoExperiencesArray_ThrowsNamingExperiences(string json)
    {
        var ex = AssertParseFails(json);

        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"experiences\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "variations": [ {} ] }""")]
    [InlineData("""{ "key": null, "variations": [ {} ] }""")]
    [InlineData("""{ "key": "", "variations": [ {} ] }""")]
    [InlineData("""{ "key": "has space", "variations": [ {} ] }""")]
    [InlineData("""{ "key": "tab\tkey", "variations": [ {} ] }""")]
    [InlineData("""{ "key": "héro", "variations": [ {} ] }""")]
    public void Parse_MissingOrInvalidKey_ThrowsNamingKey(string experience)
    {
        var ex = AssertParseFails($$"""{ "experiences": [ {{experience}} ] }""");

        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"key\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyLongerThanMaximum_ThrowsNamingKey()
    {
        var tooLong = new string('k', ExperienceKey.MaxLength + 1);

        var ex = AssertParseFails($$"""{ "experiences": [ { "key": "{{tooLong}}", "variations": [ {} ] } ] }""");

        Assert.Contains("\"key\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyOfMaximumLength_IsAccepted()
    {
        var longest = new string('k', ExperienceKey.MaxLength);

        var set = Parse($$"""{ "experiences": [ { "key": "{{longest}}", "variations": [ {} ] } ] }""");

        Assert.NotNull(set.Find(longest));
    }

    [Fact]
    public void Parse_DuplicateKey_ThrowsNamingTheKey()
    {
        var ex = AssertParseFails("""
            { "experiences": [
              { "key": "other", "variations": [ {} ] },
              { "key": "hero", "variations": [ {} ] },
              { "key": "hero", "variations": [ {} ] }
            ] }
            """);

        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'hero'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "key": "hero" }""")]
    [InlineData("""{ "key": "hero", "variations": null }""")]
    [InlineData("""{ "key": "hero", "variations": [] }""")]
    public void Parse_NoVariations_ThrowsNamingTheExperience(string experience)
    {
        var ex = AssertParseFails($$"""{ "experiences": [ {{experience}} ] }""");

        Assert.Contains("'hero'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no variations", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[ { "id": "a" }, { "id": "b" }, { "id": "a" } ]""", "'a'")]
    [InlineData("""[ { "id": "1" }, {} ]""", "'1'")]
    public void Parse_DuplicateVariationIds_ThrowsNamingTheId(string variations, string expectedId)
    {
        var ex = AssertParseFails($$"""{ "experiences": [ { "key": "hero", "variations": {{variations}} } ] }""");

        Assert.Contains("'hero'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedId, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.001")]
    [InlineData("1e400")]
    public void Parse_NegativeOrInfiniteWeight_ThrowsNamingTheVariationAndWeight(string weight)
    {
        var ex = AssertParseFails($$"""{ "experiences": [ { "key": "hero", "variations": [ { "id": "ok" }, { "id": "bad", "weight": {{weight}} } ] } ] }""");

        Assert.Contains("'bad'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'hero'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("weight", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"1\"")]
    public void Parse_NaNOrTextWeight_ThrowsNamingTheWeight(string weight)
    {
        // JSON has no NaN: it is rejected while reading, and the message points at the weight.
        var ex = AssertParseFails($$"""{ "experiences": [ { "key": "hero", "variations": [ { "id": "bad", "weight": {{weight}} } ] } ] }""");

        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        Assert.Contains("weight", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[ { "weight": 0 } ]""")]
    [InlineData("""[ { "id": "a", "weight": 0 }, { "id": "b", "weight": 0 } ]""")]
    [InlineData("""[ { "id": "a", "weight": -0 } ]""")]
    [InlineData("""[ { "id": "a", "weight": 1e308 }, { "id": "b", "weight": 1e308 } ]""")]
    public void Parse_WeightsSumToZeroOrOverflow_ThrowsNamingTheExperience(string variations)
    {
        var ex = AssertParseFails($$"""{ "experiences": [ { "key": "hero", "variations": {{variations}} } ] }""");

        Assert.Contains("'hero'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must add up to a finite number above 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ZeroWeightNextToPositiveWeight_IsAccepted()
    {
        var set = Parse("""{ "experiences": [ { "key": "hero", "variations": [ { "id": "off", "weight": 0 }, { "id": "on", "weight": 1 } ] } ] }""");

        Assert.Equal([0.0, 1.0], set.Find("hero")!.Variations.Select(v => v.Weight));
    }

    [Theory]
    [InlineData("""{ "experiences": [ null ] }""")]
    [InlineData("""{ "experiences": [ { "key": "hero", "variations": [ null ] } ] }""")]
    [InlineData("""{ "experiences": [ { "key": "hero", "variations": [ { "id": "a" }, null ] } ] }""")]
    public void Parse_NullEntry_ThrowsFormatExceptionNamingTheNull(string json)
    {
        var ex = AssertParseFails(json);

        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        Assert.Contains("null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_DisabledExperience_IsNeverReturnedByTheProvider()
    {
        using var files = new ExperienceFiles();
        var path = files.Write("""
            { "experiences": [
              { "key": "off", "enabled": false, "variations": [ { "id": "a" }, { "id": "b" } ] },
              { "key": "on", "variations": [ { "id": "a" }, { "id": "b" } ] }
            ] }
            """);
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Personalization:Local:File"] = path },
            endpoints: app => app.MapGet("/both", async (HttpContext context) =>
            {
                var personalization = context.GetPersonalization();
                var off = await personalization.GetExperienceAsync("off");
                var on = await personalization.GetExperienceAsync("on");
                return $"{off?.Attribution.VariationId ?? "none"}|{on?.Attribution.VariationId ?? "none"}";
            }));

        for (var i = 0; i < 50; i++)
        {
            using var response = await app.GetAsync("/both", ("ssp_vid", $"visitor-{i}"));
            var answer = await response.Content.ReadAsStringAsync();

            Assert.StartsWith("none|", answer, StringComparison.Ordinal);
            Assert.NotEqual("none|none", answer);
        }
    }

    private static LocalExperienceSet Parse(string json) => LocalExperienceSet.Parse(Encoding.UTF8.GetBytes(json), Source);

    private static FormatException AssertParseFails(string json) =>
        Assert.Throws<FormatException>(() => LocalExperienceSet.Parse(Encoding.UTF8.GetBytes(json), Source));
}
