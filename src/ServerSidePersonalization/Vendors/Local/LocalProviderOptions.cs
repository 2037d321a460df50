namespace ServerSidePersonalization.Vendors.Local;

/// <summary>The embedded Local provider: experiences from a JSON file, bucketed deterministically per visitor.</summary>
public sealed class LocalProviderOptions
{
    /// <summary>The module's name: the provider name and the destination name.</summary>
    public const string Name = "Local";

    /// <summary>The configuration section the provider binds, under <c>Personalization</c>.</summary>
    public const string SectionName = "Local";

    /// <summary>How long a page waits for the Local provider, which answers from memory; it only guards against a pathological file.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    /// <summary>The default file looked for in the content root when <see cref="File"/> is not set.</summary>
    public const string DefaultFile = "experiences.json";

    /// <summary>
    /// The experiences file, absolute or relative to the content root. When null, <c>experiences.json</c> in the
    /// content root is used if it exists (otherwise there are no experiences). A file that is set must exist.
    /// </summary>
    public string? File { get; set; }

    /// <summary>Whether edits to the file are picked up while the app runs. Default true.</summary>
    public bool ReloadOnChange { get; set; } = true;
}
