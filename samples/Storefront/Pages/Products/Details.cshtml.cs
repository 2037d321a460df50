using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Storefront.Pages.Products;

/// <summary>One product, with the visitor's free-shipping threshold read from an experience in code.</summary>
public sealed class DetailsModel : PageModel
{
    /// <summary>The product shown.</summary>
    public Product Product { get; private set; } = null!;

    /// <summary>The free-shipping threshold of the visitor's variation, if they have one.</summary>
    public decimal? FreeShippingThreshold { get; private set; }

    /// <summary>Loads the product and the visitor's threshold.</summary>
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

        return Page();
    }
}
