using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Declares the experiences a controller, action or Razor Page renders: they are fetched, in one call, as soon as the
/// request arrives, while the application does its own work.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class ExperiencesAttribute : Attribute, IExperiencesMetadata
{
    /// <summary>Declares <paramref name="keys"/>.</summary>
    public ExperiencesAttribute(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = [.. keys.Select(k => ExperienceKey.Validate(k, nameof(keys)))];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Keys { get; }
}
