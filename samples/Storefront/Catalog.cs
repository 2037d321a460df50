namespace Storefront;

/// <summary>A product of the sample shop.</summary>
public sealed record Product(string Slug, string Name, decimal Price, string Description);

/// <summary>The sample's fixed catalog.</summary>
public static class Catalog
{
    /// <summary>Every product, in display order.</summary>
    public static IReadOnlyList<Product> Products { get; } =
    [
        new("wool-overcoat", "Wool overcoat", 189m, "A long coat in recycled wool, cut to layer over knitwear."),
        new("merino-sweater", "Merino sweater", 79m, "Fine-gauge merino that keeps its shape wash after wash."),
        new("canvas-tote", "Canvas tote", 29m, "Heavy canvas with leather handles; carries a laptop and lunch."),
        new("leather-boots", "Leather boots", 149m, "Goodyear-welted boots that can be resoled for years."),
    ];

    /// <summary>The product with <paramref name="slug"/>, or null.</summary>
    public static Product? Find(string? slug) => Products.FirstOrDefault(p => p.Slug == slug);
}
