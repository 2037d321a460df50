using System.Buffers;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// The name of what a click does (<c>experience-action</c>, <see cref="IPersonalizationFeature.TrackClick"/>): a short
/// vendor-neutral word such as <c>ActivateOffer</c> that a destination may report, never free text.
/// </summary>
internal static class ClickAction
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.");

    public static bool IsValid(string action) =>
        action.Length is > 0 and <= MaxLength && !action.AsSpan().ContainsAnyExcept(Allowed);
}
