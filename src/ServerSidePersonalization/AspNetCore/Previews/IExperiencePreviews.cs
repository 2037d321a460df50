namespace ServerSidePersonalization.AspNetCore.Previews;

/// <summary>
/// Makes QA preview links: a page opened with one shows the chosen variation of an experience (when its provider can
/// serve a chosen variation), reports nothing and writes none of the visitor's cache entries.
/// </summary>
public interface IExperiencePreviews
{
    /// <summary>
    /// A query string (<c>?pz-preview=...</c>) to append to any page's path that previews <paramref name="variation"/>
    /// of <paramref name="key"/> for <paramref name="lifetime"/> (more than zero, at most 30 days), in any environment.
    /// The value is signed with ASP.NET Core Data Protection, so it can be neither forged nor changed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> or <paramref name="variation"/> is empty or not printable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is out of range.</exception>
    string CreatePreviewLink(string key, string variation, TimeSpan lifetime);
}
