namespace Storefront;

/// <summary>The home hero as the JSON API returns it.</summary>
public sealed record HeroDto(string? Title, string? CtaUrl, string? Variation);
