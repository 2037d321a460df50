using System.Buffers;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.Optimizely;

/// <summary>ODP's names: the vendor name, the Web SDK's <c>vuid</c> cookie and the shape of a field name.</summary>
internal static class OptimizelyNames
{
    /// <summary>The cookie ODP's web SDK keeps its device id (the <c>vuid</c> identifier) in.</summary>
    public const string VuidCookie = "vuid";

    private static readonly SearchValues<char> FieldCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>ODP field names (event types, identifiers) are lower-case snake case, starting with a letter.</summary>
    public static bool IsFieldName(string? name) =>
        name is { Length: > 0 and <= 64 } && char.IsAsciiLetterLower(name[0]) && !name.AsSpan().ContainsAnyExcept(FieldCharacters);

    public static IIdentitySource CreateSource() => new CookieIdentitySource(OptimizelyOptions.Name, [VuidCookie]);
}
