using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// The payload fields destinations asked to have reported with impressions and clicks (<see cref="TrackingEvent.Fields"/>):
/// the union of what the modules registered, read from the configuration once. A tracked link carries them in its token,
/// so each value is capped to keep links short.
/// </summary>
internal sealed class ReportedFields
{
    /// <summary>The longest value reported; a longer one is left out (it is not an id or a token any vendor issues).</summary>
    public const int MaxValueLength = 256;

    private readonly string[] _names;

    public ReportedFields(IEnumerable<ReportedFieldsRegistration> registrations, IServiceProvider services)
    {
        _names = [.. registrations.SelectMany(r => r.Names(services)).Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The registered fields <paramref name="experience"/> has, by name; null when it has none.</summary>
    public IReadOnlyDictionary<string, string>? From(Experience experience)
    {
        Dictionary<string, string>? fields = null;
        foreach (var name in _names)
        {
            if (experience.GetString(name) is { Length: > 0 and <= MaxValueLength } value)
            {
                (fields ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[name] = value;
            }
        }

        return fields;
    }
}

/// <summary>Payload field names a module's destination reads from <see cref="TrackingEvent.Fields"/>, resolved at start-up.</summary>
/// <param name="Names">The names, from the module's options.</param>
internal sealed record ReportedFieldsRegistration(Func<IServiceProvider, IEnumerable<string>> Names);
