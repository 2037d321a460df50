using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Vendors.DynamicYield;

namespace Storefront.Pages.Products;

/// <summary>
/// One product, with the visitor's free-shipping threshold read from an experience in code, and a recommendations
/// widget whose items are tracked slot clicks. The page declares itself a product page (for Dynamic Yield's choose).
/// </summary>
[Experiences("product-recs")]
[DynamicYieldPage(PageType.Product, "slug")]
public sealed class DetailsModel : PageModel
{
    /// <summary>The product shown.</summary>
    public Product Product { get; private set; } = null!;

    /// <summary>The free-shipping threshold of the visitor's variation, if they have one.</summary>
    public decimal? FreeShippingThreshold { get; private set; }

    /// <summary>The visitor's recommendations for this product, if they have some.</summary>
    public Experience? Recommendations { get; private set; }

    /// <summary>Loads the product, the visitor's threshold and recommendations.</summary>
    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (Catalog.Find(slug) is not { } product)
        {
            return NotFound();
        }

        Product = product;
        var personalization = HttpContext.GetPersonalization();
        if (await personalization.GetExperienceAsync("free-shipping-banner", HttpContext.RequestAborted) is { } banner
            && banner.TryGetDecimal("Threshold", out var threshold))
        {
            FreeShippingThreshold = threshold;
            personalization.TrackImpression(banner);
        }

        Recommendations = await personalization.GetExperienceAsync("product-recs", HttpContext.RequestAborted);
        return Page();
    }
}
