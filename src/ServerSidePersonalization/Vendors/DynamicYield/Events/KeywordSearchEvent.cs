namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>A free-text search the visitor ran (<c>keyword-search-v1</c>).</summary>
public sealed class KeywordSearchEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Keyword Search";

    /// <summary>Creates a keyword search event.</summary>
    /// <param name="keywords">The search text exactly as entered; not empty or blank.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="keywords"/> is missing; <c>ParamName</c> is the field.</exception>
    public KeywordSearchEvent(string keywords, string? name = null)
        : base(name ?? DefaultName)
    {
        Keywords = DynamicYieldEventRules.Required(keywords, nameof(keywords));
    }

    /// <summary>The search text, as entered.</summary>
    public string Keywords { get; }

    internal override DynamicYieldEventProperties ToProperties() => new() { DyType = "keyword-search-v1", Keywords = Keywords };
}
