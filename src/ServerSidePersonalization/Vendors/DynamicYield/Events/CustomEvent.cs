using System.Buffers;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// An event of the site's own (no <c>dyType</c>): a display name, an optional monetary value and flat properties whose
/// values are strings, numbers or booleans, which is what Dynamic Yield's targeting rules can use.
/// </summary>
public sealed class CustomEvent : DynamicYieldEvent
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties = ReadOnlyDictionary<string, object>.Empty;

    private readonly Dictionary<string, JsonElement>? _json;

    /// <summary>Creates a custom event.</summary>
    /// <param name="name">The event's name, which identifies it in Dynamic Yield.</param>
    /// <param name="properties">
    /// Flat properties: each value a <see cref="string"/>, a <see cref="bool"/> or a number (integer types,
    /// <see cref="decimal"/>, finite <see cref="double"/> or <see cref="float"/>); not <c>dyType</c>, <c>value</c> or
    /// <c>currency</c>, which have their own parameters or belong to predefined events.
    /// </param>
    /// <param name="value">A monetary value, not negative; optional.</param>
    /// <param name="currency">The currency of <paramref name="value"/>; the section's currency when null.</param>
    /// <exception cref="ArgumentException">A value is missing, out of range or of another type; <c>ParamName</c> is the field.</exception>
    public CustomEvent(string name, IReadOnlyDictionary<string, object>? properties = null, decimal? value = null, string? currency = null)
        : base(name)
    {
        if (value is { } amount)
        {
            DynamicYieldEventRules.Value(amount);
        }

        if (DynamicYieldEventRules.Optional(currency, nameof(currency)) is not null && value is null)
        {
            throw new ArgumentException("currency goes only with a value.", nameof(currency));
        }

        Value = value;
        Currency = currency;
        if (properties is { Count: > 0 })
        {
            var copy = new Dictionary<string, object>(properties.Count, StringComparer.Ordinal);
            foreach (var (key, property) in properties)
            {
                if (Problem(key, property) is { } problem)
                {
                    throw new ArgumentException(problem, nameof(properties));
                }

                copy.Add(key, property);
            }

            Properties = new ReadOnlyDictionary<string, object>(copy);
            _json = ToJson(copy);
        }
        else
        {
            Properties = NoProperties;
        }
    }

    /// <summary>The event's own properties, as given.</summary>
    public IReadOnlyDictionary<string, object> Properties { get; }

    /// <summary>The monetary value, or null.</summary>
    public decimal? Value { get; }

    /// <summary>The currency of <see cref="Value"/>, or null for the section's currency.</summary>
    public string? Currency { get; }

    internal override DynamicYieldEventProperties? ToProperties() =>
        Value is null && _json is null ? null : new() { Value = Value, Currency = Currency, Custom = _json };

    /// <summary>Why a property cannot be sent, or null when it can. The value itself is never quoted.</summary>
    private static string? Problem(string key, object? value)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "properties must not have an empty name.";
        }

        return key switch
        {
            "dyType" => "A custom event has no dyType; use the predefined event types for Dynamic Yield's schemas.",
            "value" or "currency" => $"properties must not contain '{key}'; pass it as the {key} parameter.",
            _ => value switch
            {
                string or bool or int or long or short or sbyte or uint or ulong or ushort or byte or decimal => null,
                double real => double.IsFinite(real) ? null : $"properties['{key}'] is not a finite number.",
                float single => float.IsFinite(single) ? null : $"properties['{key}'] is not a finite number.",
                null => $"properties['{key}'] is null; only strings, numbers and booleans are accepted.",
                _ => $"properties['{key}'] is a {value.GetType().Name}; only strings, numbers and booleans are accepted.",
            },
        };
    }

    /// <summary>The properties as JSON values, made once so that sending needs no reflection and later changes are not sent.</summary>
    private static Dictionary<string, JsonElement> ToJson(Dictionary<string, object> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in properties)
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var root = document.RootElement.Clone();
        var json = new Dictionary<string, JsonElement>(properties.Count, StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            json.Add(property.Name, property.Value);
        }

        return json;
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case uint or ulong or ushort or byte:
                writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double real:
                writer.WriteNumberValue(real);
                break;
            case float single:
                writer.WriteNumberValue(single);
                break;
            default:
                throw new UnreachableException("Problem lets only strings, numbers and booleans through.");
        }
    }
}
