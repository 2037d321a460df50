using System.Text.Json;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Testing;

/// <summary>
/// The experiences every visitor gets in a test: each pinned key answers with its pinned variation and payload; a key
/// not pinned is absent, so the page renders its fallback.
/// </summary>
public sealed class PinnedExperiences
{
    /// <summary>The vendor name pinned experiences are attributed to (<see cref="ExperienceAttribution.Vendor"/>).</summary>
    public const string Vendor = "Testing";

    private readonly Dictionary<string, Experience> _experiences = new(StringComparer.Ordinal);

    /// <summary>
    /// Pins <paramref name="key"/> to <paramref name="variation"/> for every visitor, with the public properties of
    /// <paramref name="payload"/> (an anonymous object, a record, a dictionary) as its payload fields. A later pin of the
    /// same key replaces it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="payload"/> does not serialize to a JSON object.</exception>
    public PinnedExperiences WithExperience(string key, string variation, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(variation);
        var attribution = new ExperienceAttribution(
            Vendor, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["experience"] = key, ["variation"] = variation }), variation);
        _experiences[key] = new Experience(key, Fields(payload), attribution);
        return this;
    }

    /// <summary>The pinned experience of <paramref name="key"/>, or null when it is not pinned.</summary>
    internal Experience? Find(string key) => _experiences.GetValueOrDefault(key);

    private static Dictionary<string, ExperienceValue> Fields(object? payload)
    {
        var fields = new Dictionary<string, ExperienceValue>(StringComparer.OrdinalIgnoreCase);
        if (payload is null)
        {
            return fields;
        }

        var json = JsonSerializer.SerializeToElement(payload, payload.GetType());
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The payload must be an object whose properties are the payload fields.", nameof(payload));
        }

        foreach (var property in json.EnumerateObject())
        {
            fields[property.Name] = new ExperienceValue(property.Value, ExperienceValue.Infer(property.Value));
        }

        return fields;
    }
}
