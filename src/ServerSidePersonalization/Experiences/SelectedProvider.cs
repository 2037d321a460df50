namespace ServerSidePersonalization.Experiences;

/// <summary>
/// A provider in use: how long a page waits for it, and how long one fetch may run at all (null for no limit).
/// </summary>
internal sealed record SelectedProvider(IExperienceProvider Provider, TimeSpan Budget, TimeSpan? AttemptTimeout = null);
