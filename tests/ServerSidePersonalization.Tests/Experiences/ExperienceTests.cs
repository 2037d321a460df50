using System.Text.Json;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Tests.Experiences;

public sealed class ExperienceTests
{
    private static readonly ExperienceAttribution Attribution = new("Test", JsonSerializer.Deserialize<JsonElement>("""{"cid":"c1"}"""), "v1");

    [Fact]
    public void Constructor_Arguments_AreExposed()
    {
        var payload = Payload(("title", "\"Hi\""));

        var experience = new Experience("hero", payload, Attribution);

        Assert.Equal("hero", experience.Key);
        Assert.Same(Attribution, experience.Attribution);
        Assert.Equal("Hi", experience.Payload["title"].AsString());
    }

    [Fact]
    public void Constructor_NullOrEmptyKey_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Experience(null!, Payload(), Attribution));
        Assert.Throws<ArgumentException>(() => new Experience("", Payload(), Attribution));
    }

    [Fact]
    public void Constructor_NullPayloadOrAttribution_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Experience("hero", null!, Attribution));
        Assert.Throws<ArgumentNullException>(() => new Experience("hero", Payload(), null!));
    }

    [Theory]
    [InlineData("title")]
    [InlineData("TITLE")]
    [InlineData("Title")]
    [InlineData("tItLe")]
    public void GetString_FieldNameInAnyCase_FindsTheField(string field)
    {
        // The dictionary given is case-sensitive; the experience must not be.
        var payload = new Dictionary<string, ExperienceValue>(StringComparer.Ordinal) { ["Title"] = Value("\"Hello\"") };

        var experience = new Experience("hero", payload, Attribution);

        Assert.Equal("Hello", experience.GetString(field));
        Assert.True(experience.Payload.ContainsKey(field));
    }

    [Fact]
    public void GetString_CaseInsensitivePayloadGiven_FindsTheFieldInAnyCase()
    {
        var payload = new Dictionary<string, ExperienceValue>(StringComparer.OrdinalIgnoreCase) { ["cta"] = Value("\"Buy\"") };

        var experience = new Experience("hero", payload, Attribution);

        Assert.Equal("Buy", experience.GetString("CTA"));
    }

    [Fact]
    public void GetString_AbsentField_ReturnsNull()
    {
        var experience = Create(("title", "\"Hi\""));

        Assert.Null(experience.GetString("subtitle"));
        Assert.False(experience.TryGetString("subtitle", out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("\"Hi\"", "Hi")]
    [InlineData("42", "42")]
    [InlineData("true", "true")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    public void TryGetString_PresentField_ReturnsItsText(string json, string expected)
    {
        var experience = Create(("field", json));

        Assert.True(experience.TryGetString("field", out var value));
        Assert.Equal(expected, value);
        Assert.Equal(expected, experience.GetString("field"));
    }

    [Fact]
    public void TryGetString_JsonNullField_ReturnsFalse()
    {
        var experience = Create(("field", "null"));

        Assert.False(experience.TryGetString("field", out var value));
        Assert.Null(value);
        Assert.Null(experience.GetString("field"));
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("\"42\"", 42L)]
    public void TryGetInt64_NumberOrNumericText_ReadsIt(string json, long expected)
    {
        Assert.True(Create(("count", json)).TryGetInt64("COUNT", out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("4.5", 4.5)]
    [InlineData("\"4.5\"", 4.5)]
    public void TryGetDouble_NumberOrNumericText_ReadsIt(string json, double expected)
    {
        var experience = Create(("ratio", json));

        Assert.True(experience.TryGetDouble("Ratio", out var value));
        Assert.Equal(expected, value);
        Assert.Equal(expected, experience.GetDouble("ratio", defaultValue: -1));
    }

    [Theory]
    [InlineData("19.99")]
    [InlineData("\"19.99\"")]
    public void TryGetDecimal_NumberOrNumericText_ReadsItExactly(string json)
    {
        Assert.True(Create(("price", json)).TryGetDecimal("price", out var value));
        Assert.Equal(19.99m, value);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("\"false\"", false)]
    public void TryGetBoolean_BooleanOrBooleanText_ReadsIt(string json, bool expected)
    {
        var experience = Create(("show", json));

        Assert.True(experience.TryGetBoolean("SHOW", out var value));
        Assert.Equal(expected, value);
        Assert.Equal(expected, experience.GetBoolean("show", defaultValue: !expected));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("\"{\\\"a\\\":1}\"")]
    public void TryGetJson_ObjectOrJsonText_ReadsIt(string json)
    {
        Assert.True(Create(("config", json)).TryGetJson("Config", out var value));
        Assert.Equal(1, value.Value.GetProperty("a").GetInt32());
    }

    [Fact]
    public void TryGetAccessors_AbsentField_ReturnFalseAndDefaults()
    {
        var experience = Create(("title", "\"Hi\""));

        Assert.False(experience.TryGetInt64("missing", out var int64));
        Assert.Equal(0, int64);
        Assert.False(experience.TryGetDouble("missing", out var number));
        Assert.Equal(0, number);
        Assert.False(experience.TryGetDecimal("missing", out var exact));
        Assert.Equal(0m, exact);
        Assert.False(experience.TryGetBoolean("missing", out var flag));
        Assert.False(flag);
        Assert.False(experience.TryGetJson("missing", out var json));
        Assert.Null(json);
    }

    [Fact]
    public void TryGetAccessors_WrongKind_ReturnFalse()
    {
        var experience = Create(("text", "\"hello\""), ("number", "3.5"), ("flag", "true"));

        Assert.False(experience.TryGetInt64("text", out _));
        Assert.False(experience.TryGetInt64("number", out _));
        Assert.False(experience.TryGetDouble("flag", out _));
        Assert.False(experience.TryGetDecimal("text", out _));
        Assert.False(experience.TryGetBoolean("number", out _));
        Assert.False(experience.TryGetJson("text", out _));
        Assert.False(experience.TryGetJson("number", out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GetBoolean_AbsentOrNotBoolean_ReturnsTheDefault(bool defaultValue)
    {
        var experience = Create(("text", "\"maybe\""));

        Assert.Equal(defaultValue, experience.GetBoolean("missing", defaultValue));
        Assert.Equal(defaultValue, experience.GetBoolean("text", defaultValue));
    }

    [Fact]
    public void GetBoolean_NoDefaultGiven_IsFalse()
    {
        Assert.False(Create().GetBoolean("missing"));
    }

    [Theory]
    [InlineData(-1.5)]
    [InlineData(7.0)]
    public void GetDouble_AbsentOrNotNumber_ReturnsTheDefault(double defaultValue)
    {
        var experience = Create(("text", "\"many\""));

        Assert.Equal(defaultValue, experience.GetDouble("missing", defaultValue));
        Assert.Equal(defaultValue, experience.GetDouble("text", defaultValue));
    }

    [Fact]
    public void GetDouble_NoDefaultGiven_IsZero()
    {
        Assert.Equal(0, Create().GetDouble("missing"));
    }

    private static Experience Create(params (string Field, string Json)[] fields) => new("hero", Payload(fields), Attribution);

    private static Dictionary<string, ExperienceValue> Payload(params (string Field, string Json)[] fields) =>
        fields.ToDictionary(f => f.Field, f => Value(f.Json), StringComparer.Ordinal);

    private static ExperienceValue Value(string json)
    {
        var element = JsonSerializer.Deserialize<JsonElement>(json);
        return new ExperienceValue(element, ExperienceValue.Infer(element));
    }
}
