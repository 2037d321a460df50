using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace ServerSidePersonalization.Experiences;

/// <summary>
/// One payload field of an experience: its JSON value and declared data type, read through typed accessors that are
/// lenient about how the vendor encoded the value (a number sent as <c>"42"</c> still reads as 42).
/// </summary>
public readonly struct ExperienceValue
{
    /// <summary>Creates a value from its JSON and declared type.</summary>
    public ExperienceValue(JsonElement value, ExperienceDataType dataType)
    {
        Value = value;
        DataType = dataType;
    }

    /// <summary>The value exactly as the vendor sent it.</summary>
    public JsonElement Value { get; }

    /// <summary>The vendor's declared <c>data_type</c>.</summary>
    public ExperienceDataType DataType { get; }

    /// <summary>Parses a vendor's <c>data_type</c>; unknown or missing types are inferred from the JSON value.</summary>
    public static ExperienceDataType ParseDataType(string? dataType, JsonElement value) => dataType?.ToLowerInvariant() switch
    {
        "string" => ExperienceDataType.String,
        "number" or "integer" or "int" => ExperienceDataType.Number,
        "float" or "double" or "decimal" => ExperienceDataType.Float,
        "boolean" or "bool" => ExperienceDataType.Boolean,
        "json" or "object" or "array" => ExperienceDataType.Json,
        _ => Infer(value),
    };

    /// <summary>The data type a bare JSON value implies.</summary>
    public static ExperienceDataType Infer(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out _) ? ExperienceDataType.Number : ExperienceDataType.Float,
        JsonValueKind.True or JsonValueKind.False => ExperienceDataType.Boolean,
        JsonValueKind.Object or JsonValueKind.Array => ExperienceDataType.Json,
        _ => ExperienceDataType.String,
    };

    /// <summary>
    /// The value as text: a JSON string's content, or the raw JSON of any other value; null for JSON null and for a
    /// string that is not valid UTF-16 (an escaped lone surrogate such as <c>"\ud800"</c>).
    /// </summary>
    public string? AsString() => Value.ValueKind switch
    {
        JsonValueKind.String => Text(Value),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => Value.GetRawText(),
    };

    /// <summary>Reads a whole number, from a JSON number or numeric text.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Value.ValueKind switch
        {
            JsonValueKind.Number => Value.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(Text(Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    /// <summary>Reads a finite number, from a JSON number or numeric text (invariant culture).</summary>
    public bool TryGetDouble(out double value)
    {
        value = 0;
        var parsed = Value.ValueKind switch
        {
            JsonValueKind.Number => Value.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(Text(Value), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
        if (parsed && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads an exact decimal number, from a JSON number or numeric text (invariant culture).</summary>
    public bool TryGetDecimal(out decimal value)
    {
        value = 0;
        return Value.ValueKind switch
        {
            JsonValueKind.Number => Value.TryGetDecimal(out value),
            JsonValueKind.String => decimal.TryParse(Text(Value), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    /// <summary>Reads a boolean, from JSON true/false or the text <c>true</c>/<c>false</c>.</summary>
    public bool TryGetBoolean(out bool value)
    {
        value = false;
        switch (Value.ValueKind)
        {
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return bool.TryParse(Text(Value), out value);
            default:
                return false;
        }
    }

    /// <summary>Reads a JSON object or array, also when the vendor sent it as JSON text inside a string.</summary>
    public bool TryGetJson([NotNullWhen(true)] out JsonElement? value)
    {
        value = null;
        switch (Value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array:
                value = Value;
                return true;
            case JsonValueKind.String when Text(Value) is { } text:
                try
                {
                    using var document = JsonDocument.Parse(text);
                    if (document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        value = document.RootElement.Clone();
                        return true;
                    }
                }
                catch (JsonException)
                {
                }

                return false;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => AsString() ?? string.Empty;

    /// <summary>A JSON string's content, or null when it cannot be read as text (an escaped lone surrogate).</summary>
    internal static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
