using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore;

namespace ServerSidePersonalization.Vendors;

/// <summary>
/// The vendor modules shipped in this assembly, added by <c>AddServerSidePersonalization()</c> so that configuration
/// alone can select any of them. A new vendor adds its module here and touches no core folder.
/// </summary>
internal static class BuiltInVendors
{
    public static void Add(IPersonalizationBuilder builder)
    {
        builder.AddLocal();
        builder.AddMoEngage();
        builder.AddDynamicYield();
        builder.AddOptimizely();
        builder.AddCardlytics();
    }
}
