namespace ServerSidePersonalization.Experiences;

/// <summary>
/// A provider a vendor module offers, chosen by <see cref="Name"/> through <c>Personalization:Provider</c>. A module
/// may also route some keys to its provider whichever provider is the main one (<see cref="RoutedKeys"/>).
/// </summary>
/// <param name="Name">The name matched against <c>Personalization:Provider</c>, without regard to case.</param>
/// <param name="Create">Builds (or resolves) the provider.</param>
/// <param name="Budget">How long a page waits for one fetch of this provider.</param>
/// <param name="RoutedKeys">Keys this provider serves while another is the main one; null or empty for none.</param>
/// <param name="AttemptTimeout">
/// How long one fetch may run (in the background once the page stopped waiting, so its answer still fills the cache);
/// null for none.
/// </param>
internal sealed record ProviderRegistration(
    string Name,
    Func<IServiceProvider, IExperienceProvider> Create,
    Func<IServiceProvider, TimeSpan> Budget,
    Func<IServiceProvider, IReadOnlyCollection<string>>? RoutedKeys = null,
    Func<IServiceProvider, TimeSpan>? AttemptTimeout = null);
