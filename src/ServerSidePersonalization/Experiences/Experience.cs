using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ServerSidePersonalization.Experiences;

/// <summary>
/// The variation of one experience that a visitor gets: its payload fields and the vendor's attribution. Immutable,
/// so one instance can be cached and shared between requests.
/// </summary>
public sealed class Experience
{
    /// <summary>Creates an experience.</summary>
    /// <param name="key">The experience key, as asked for.</param>
    /// <param name="payload">The payload fields; names are matched without regard to case.</param>
    /// <param name="attribution">What the vendor needs back for impressions and clicks.</param>
    /// <param name="slots">For a recommendations experience, its items in display order.</param>
    public Experience(string key, IReadOnlyDictionary<string, ExperienceValue> payload, ExperienceAttribution attribution, IReadOnlyList<ExperienceSlot>? slots = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(attribution);
        Key = key;

        // A private, frozen copy: the experience stays immutable whatever the caller does with its dictionary, and
        // fields differing only in case collapse to the last one instead of throwing.
        var fields = new Dictionary<string, ExperienceValue>(payload.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in payload)
        {
            fields[field] = value;
        }

        Payload = fields.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Attribution = attribution;
        Slots = slots is null or { Count: 0 } ? [] : [.. slots];
    }

    /// <summary>The experience key.</summary>
    public string Key { get; }

    /// <summary>The payload fields by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, ExperienceValue> Payload { get; }

    /// <summary>The vendor's attribution for impressions and clicks.</summary>
    public ExperienceAttribution Attribution { get; }

    /// <summary>For a recommendations experience, its items (slots) in display order; empty otherwise.</summary>
    public IReadOnlyList<ExperienceSlot> Slots { get; }

    /// <summary>The text of a field, or null when the field is absent.</summary>
    public string? GetString(string field) => Payload.TryGetValue(field, out var v) ? v.AsString() : null;

    /// <summary>Reads a field as text.</summary>
    public bool TryGetString(string field, [NotNullWhen(true)] out string? value)
    {
        value = GetString(field);
        return value is not null;
    }

    /// <summary>Reads a field as a whole number.</summary>
    public bool TryGetInt64(string field, out long value)
    {
        value = 0;
        return Payload.TryGetValue(field, out var v) && v.TryGetInt64(out value);
    }

    /// <summary>Reads a field as a number.</summary>
    public bool TryGetDouble(string field, out double value)
    {
        value = 0;
        return Payload.TryGetValue(field, out var v) && v.TryGetDouble(out value);
    }

    /// <summary>Reads a field as an exact decimal.</summary>
    public bool TryGetDecimal(string field, out decimal value)
    {
        value = 0;
        return Payload.TryGetValue(field, out var v) && v.TryGetDecimal(out value);
    }

    /// <summary>Reads a field as a boolean.</summary>
    public bool TryGetBoolean(string field, out bool value)
    {
        value = false;
        return Payload.TryGetValue(field, out var v) && v.TryGetBoolean(out value);
    }

    /// <summary>Reads a field as a JSON object or array.</summary>
    public bool TryGetJson(string field, [NotNullWhen(true)] out JsonElement? value)
    {
        value = null;
        return Payload.TryGetValue(field, out var v) && v.TryGetJson(out value);
    }

    /// <summary>A field as a boolean, or <paramref name="defaultValue"/> when it is absent or not a boolean.</summary>
    public bool GetBoolean(string field, bool defaultValue = false) => TryGetBoolean(field, out var v) ? v : defaultValue;

    /// <summary>A field as a number, or <paramref name="defaultValue"/> when it is absent or not a number.</summary>
    public double GetDouble(string field, double defaultValue = 0) => TryGetDouble(field, out var v) ? v : defaultValue;
}
