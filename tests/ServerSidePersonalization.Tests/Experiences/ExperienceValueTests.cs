using System.Text.Json;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Tests.Experiences;

public sealed class ExperienceValueTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("\"42\"", 42L)]
    [InlineData("\"-7\"", -7L)]
    [InlineData("\" 42 \"", 42L)]
    public void TryGetInt64_WholeNumberOrNumericText_ReadsIt(string json, long expected)
    {
        Assert.True(Value(json).TryGetInt64(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("4.5")]
    [InlineData("1e2")]
    [InlineData("9223372036854775808")]
    [InlineData("\"4.5\"")]
    [InlineData("\"forty-two\"")]
    [InlineData("\"\"")]
    [InlineData("\"1,000\"")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    public void TryGetInt64_NotAWholeNumber_ReturnsFalseAndZero(string json)
    {
        Assert.False(Value(json).TryGetInt64(out var value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("4.5", 4.5)]
    [InlineData("42", 42.0)]
    [InlineData("-0.25", -0.25)]
    [InlineData("1e2", 100.0)]
    [InlineData("\"4.5\"", 4.5)]
    [InlineData("\"42\"", 42.0)]
    [InlineData("\"-1e3\"", -1000.0)]
    public void TryGetDouble_NumberOrNumericText_ReadsIt(string json, double expected)
    {
        Assert.True(Value(json).TryGetDouble(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("\"4,5\"")]
    [InlineData("\"1,000.5\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{\"a\":1}")]
    [InlineData("[1.5]")]
    public void TryGetDouble_NotANumber_ReturnsFalseAndZero(string json)
    {
        Assert.False(Value(json).TryGetDouble(out var value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("19.99", "19.99")]
    [InlineData("0.1", "0.1")]
    [InlineData("42", "42")]
    [InlineData("\"19.99\"", "19.99")]
    [InlineData("\"0.1\"", "0.1")]
    [InlineData("\"-3\"", "-3")]
    public void TryGetDecimal_NumberOrNumericText_ReadsItExactly(string json, string expected)
    {
        Assert.True(Value(json).TryGetDecimal(out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"19,99\"")]
    [InlineData("\"price\"")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    public void TryGetDecimal_NotADecimal_ReturnsFalseAndZero(string json)
    {
        Assert.False(Value(json).TryGetDecimal(out var value));
        Assert.Equal(0m, value);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"True\"", true)]
    [InlineData("\"FALSE\"", false)]
    public void TryGetBoolean_BooleanOrBooleanText_ReadsIt(string json, bool expected)
    {
        Assert.True(Value(json).TryGetBoolean(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("\"1\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("null")]
    [InlineData("{\"a\":true}")]
    [InlineData("[true]")]
    public void TryGetBoolean_NotABoolean_ReturnsFalseAndFalse(string json)
    {
        Assert.False(Value(json).TryGetBoolean(out var value));
        Assert.False(value);
    }

    [Theory]
    [InlineData("{\"a\":1}", JsonValueKind.Object)]
    [InlineData("[1,2]", JsonValueKind.Array)]
    [InlineData("{}", JsonValueKind.Object)]
    [InlineData("\"{\\\"a\\\":1}\"", JsonValueKind.Object)]
    [InlineData("\"[1,2]\"", JsonValueKind.Array)]
    [InlineData("\" { } \"", JsonValueKind.Object)]
    public void TryGetJson_ObjectArrayOrJsonText_ReadsIt(string json, JsonValueKind expected)
    {
        Assert.True(Value(json).TryGetJson(out var value));
        Assert.Equal(expected, value.Value.ValueKind);
    }

    [Fact]
    public void TryGetJson_JsonTextInsideString_ReadsItsContent()
    {
        Assert.True(Value("\"{\\\"title\\\":\\\"Hi\\\",\\\"n\\\":[1,2,3]}\"").TryGetJson(out var value));

        Assert.Equal("Hi", value.Value.GetProperty("title").GetString());
        Assert.Equal(3, value.Value.GetProperty("n").GetArrayLength());
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("\"\"")]
    [InlineData("\"{broken\"")]
    [InlineData("\"42\"")]
    [InlineData("\"\\\"text\\\"\"")]
    [InlineData("\"null\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public void TryGetJson_NotAnObjectOrArray_ReturnsFalseAndNull(string json)
    {
        Assert.False(Value(json).TryGetJson(out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("\"hello\"", "hello")]
    [InlineData("\"\"", "")]
    [InlineData("\"42\"", "42")]
    [InlineData("42", "42")]
    [InlineData("4.50", "4.50")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("[1,2]", "[1,2]")]
    public void AsString_AnyValue_ReturnsTextOrRawJson(string json, string expected)
    {
        Assert.Equal(expected, Value(json).AsString());
        Assert.Equal(expected, Value(json).ToString());
    }

    [Fact]
    public void AsString_JsonNull_ReturnsNullAndToStringEmpty()
    {
        Assert.Null(Value("null").AsString());
        Assert.Equal(string.Empty, Value("null").ToString());
    }

    [Fact]
    public void AsString_DefaultValue_ReturnsNull()
    {
        Assert.Null(default(ExperienceValue).AsString());
        Assert.False(default(ExperienceValue).TryGetInt64(out _));
        Assert.False(default(ExperienceValue).TryGetJson(out _));
    }

    [Fact]
    public void Constructor_ValueAndType_AreKeptAsGiven()
    {
        var json = JsonSerializer.Deserialize<JsonElement>("\"42\"");

        var value = new ExperienceValue(json, ExperienceDataType.Number);

        Assert.Equal(ExperienceDataType.Number, value.DataType);
        Assert.Equal(JsonValueKind.String, value.Value.ValueKind);
        Assert.Equal("42", value.Value.GetString());
    }

    [Theory]
    [InlineData("string", "42", ExperienceDataType.String)]
    [InlineData("STRING", "42", ExperienceDataType.String)]
    [InlineData("String", "true", ExperienceDataType.String)]
    [InlineData("number", "\"42\"", ExperienceDataType.Number)]
    [InlineData("integer", "\"42\"", ExperienceDataType.Number)]
    [InlineData("int", "1", ExperienceDataType.Number)]
    [InlineData("Number", "1.5", ExperienceDataType.Number)]
    [InlineData("float", "\"1.5\"", ExperienceDataType.Float)]
    [InlineData("double", "1", ExperienceDataType.Float)]
    [InlineData("decimal", "1", ExperienceDataType.Float)]
    [InlineData("FLOAT", "1", ExperienceDataType.Float)]
    [InlineData("boolean", "\"true\"", ExperienceDataType.Boolean)]
    [InlineData("bool", "false", ExperienceDataType.Boolean)]
    [InlineData("Boolean", "\"x\"", ExperienceDataType.Boolean)]
    [InlineData("json", "\"{}\"", ExperienceDataType.Json)]
    [InlineData("object", "{}", ExperienceDataType.Json)]
    [InlineData("array", "[]", ExperienceDataType.Json)]
    [InlineData("JSON", "\"x\"", ExperienceDataType.Json)]
    public void ParseDataType_KnownName_MapsRegardlessOfCaseAndValue(string dataType, string json, ExperienceDataType expected)
    {
        Assert.Equal(expected, ExperienceValue.ParseDataType(dataType, Json(json)));
    }

    [Theory]
    [InlineData(null, "42", ExperienceDataType.Number)]
    [InlineData(null, "-3", ExperienceDataType.Number)]
    [InlineData(null, "4.5", ExperienceDataType.Float)]
    [InlineData(null, "1e2", ExperienceDataType.Float)]
    [InlineData(null, "true", ExperienceDataType.Boolean)]
    [InlineData(null, "false", ExperienceDataType.Boolean)]
    [InlineData(null, "{\"a\":1}", ExperienceDataType.Json)]
    [InlineData(null, "[1]", ExperienceDataType.Json)]
    [InlineData(null, "\"text\"", ExperienceDataType.String)]
    [InlineData(null, "\"42\"", ExperienceDataType.String)]
    [InlineData(null, "null", ExperienceDataType.String)]
    [InlineData("", "42", ExperienceDataType.Number)]
    [InlineData("date", "\"2026-01-01\"", ExperienceDataType.String)]
    [InlineData("unknown", "true", ExperienceDataType.Boolean)]
    [InlineData("list", "[1]", ExperienceDataType.Json)]
    [InlineData("money", "9.99", ExperienceDataType.Float)]
    public void ParseDataType_UnknownOrMissingName_InfersFromTheValue(string? dataType, string json, ExperienceDataType expected)
    {
        Assert.Equal(expected, ExperienceValue.ParseDataType(dataType, Json(json)));
    }

    [Theory]
    [InlineData("7", ExperienceDataType.Number)]
    [InlineData("7.25", ExperienceDataType.Float)]
    [InlineData("false", ExperienceDataType.Boolean)]
    [InlineData("[]", ExperienceDataType.Json)]
    [InlineData("\"7\"", ExperienceDataType.String)]
    public void Infer_BareValue_ReturnsItsKind(string json, ExperienceDataType expected)
    {
        Assert.Equal(expected, ExperienceValue.Infer(Json(json)));
    }

    private static JsonElement Json(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    private static ExperienceValue Value(string json)
    {
        var element = Json(json);
        return new ExperienceValue(element, ExperienceValue.Infer(element));
    }
}
