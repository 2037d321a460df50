using System.Text.Json;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// A validated, immutable set of experiences: each variation's <see cref="Experience"/> is built once and shared by
/// every visitor bucketed into it.
/// </summary>
internal sealed class LocalExperienceSet
{
    public const string Vendor = LocalProviderOptions.Name;

    private readonly Dictionary<string, LocalExperience> _experiences;

    private LocalExperienceSet(Dictionary<string, LocalExperience> experiences) => _experiences = experiences;

    public static LocalExperienceSet Empty { get; } = new([]);

    public int Count => _experiences.Count;

    public LocalExperience? Find(string key) => _experiences.GetValueOrDefault(key);

    /// <exception cref="FormatException">The JSON is malformed or breaks a rule; the message says which.</exception>
    public static LocalExperienceSet Parse(ReadOnlySpan<byte> json, string source)
    {
        LocalExperienceFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, LocalJsonContext.Default.LocalExperienceFile);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source} is not valid JSON: {ex.Message}", ex);
        }

        var experiences = new Dictionary<string, LocalExperience>(StringComparer.Ordinal);
        foreach (var definition in file?.Experiences ?? throw new FormatException($"{source} has no \"experiences\" array."))
        {
            var experience = Build(definition ?? throw new FormatException($"{source}: an entry of \"experiences\" is null."), source);
            if (!experiences.TryAdd(experience.Key, experience))
            {
                throw new FormatException($"{source}: experience '{experience.Key}' is defined twice.");
            }
        }

        return new LocalExperienceSet(experiences);
    }

    private static LocalExperience Build(LocalExperienceDefinition definition, string source)
    {
        if (!ExperienceKey.IsValid(definition.Key))
        {
            throw new FormatException($"{source}: every experience needs a \"key\" of 1 to {ExperienceKey.MaxLength} printable characters.");
        }

        var key = definition.Key!;
        var name = definition.Name ?? key;
        if (definition.Variations is not { Count: > 0 } variations)
        {
            throw new FormatException($"{source}: experience '{key}' has no variations.");
        }

        var built = new List<LocalVariation>(variations.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variations.Count; i++)
        {
            var variation = variations[i] ?? throw new FormatException($"{source}: variation {i} of '{key}' is null.");
            var id = variation.Id ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!ids.Add(id))
            {
                throw new FormatException($"{source}: experience '{key}' has two variations with id '{id}'.");
            }

            var weight = variation.Weight ?? 1;
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new FormatException($"{source}: variation '{id}' of '{key}' has a weight that is not a number of 0 or more.");
            }

            built.Add(new LocalVariation(id, weight, CreateExperience(key, name, id, variation)));
        }

        var total = built.Sum(v => v.Weight);
        if (!(total > 0) || !double.IsFinite(total))
        {
            throw new FormatException($"{source}: the weights of '{key}' must add up to a finite number above 0.");
        }

        return new LocalExperience(key, definition.Enabled ?? true, built);
    }

    private static Experience CreateExperience(string key, string name, string variationId, LocalVariationDefinition variation)
    {
        var payload = new Dictionary<string, ExperienceValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in variation.Payload ?? [])
        {
            payload[field] = new ExperienceValue(value, ExperienceValue.Infer(value));
        }

        var context = JsonSerializer.SerializeToElement(
            new LocalExperienceContext(
                Cid: $"local:{key}",
                Experience: name,
                LocaleId: "0",
                VariationId: variationId,
                VariationName: variation.Name ?? variationId,
                AudienceName: "All Users",
                AudienceId: "all",
                Type: "Local"),
            LocalJsonContext.Default.LocalExperienceContext);
        var slots = new List<ExperienceSlot>();
        foreach (var slot in variation.Slots ?? [])
        {
            if (slot?.SlotId is not { Length: > 0 } slotId)
            {
                throw new FormatException($"every slot of variation '{variationId}' of '{key}' needs a \"slotId\".");
            }

            slots.Add(new ExperienceSlot(slotId, slot.Sku, slot.ProductData.ValueKind == JsonValueKind.Object ? slot.ProductData.Clone() : default));
        }

        return new Experience(key, payload, new ExperienceAttribution(Vendor, context, variationId), slots);
    }
}

/// <summary>One experience of the file with its variations, in file order.</summary>
internal sealed record LocalExperience(string Key, bool Enabled, IReadOnlyList<LocalVariation> Variations);

/// <summary>A variation: its id, relative weight and the experience visitors bucketed into it get.</summary>
internal sealed record LocalVariation(string Id, double Weight, Experience Experience);
