using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>MoEngage's names: the vendor name on attributions and the Web SDK's device id cookie.</summary>
internal static class MoEngageIdentity
{
    public const string Vendor = MoEngageOptions.Name;
    public const string DeviceIdCookie = "moe_uuid";

    public static IIdentitySource CreateSource() => new CookieIdentitySource(Vendor, [DeviceIdCookie]);
}
