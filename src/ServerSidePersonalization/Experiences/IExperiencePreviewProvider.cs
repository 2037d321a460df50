namespace ServerSidePersonalization.Experiences;

/// <summary>
/// What a provider implements when it can serve a chosen variation for a QA preview (the Local provider can; the vendor
/// APIs we call document no such request). Previews of keys whose provider lacks it show the ordinary experience.
/// </summary>
internal interface IExperiencePreviewProvider
{
    /// <summary>The experience as variation <paramref name="variation"/> of <paramref name="key"/> shows it, or null when there is none.</summary>
    Experience? Preview(string key, string variation);
}
