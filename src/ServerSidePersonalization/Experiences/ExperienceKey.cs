namespace ServerSidePersonalization.Experiences;

/// <summary>The rules for an experience key: 1 to 128 printable ASCII characters.</summary>
internal static class ExperienceKey
{
    public const int MaxLength = 128;

    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxLength && !key.AsSpan().ContainsAnyExceptInRange('!', '~');

    public static string Validate(string? key, string paramName = "key") =>
        IsValid(key)
            ? key!
            : throw new ArgumentException($"An experience key must be 1 to {MaxLength} printable ASCII characters without spaces.", paramName);
}
