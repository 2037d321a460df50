namespace ServerSidePersonalization.Experiences;

/// <summary>The provider chosen by <c>Personalization:Provider</c> and how long a page waits for it.</summary>
internal sealed record SelectedProvider(IExperienceProvider Provider, TimeSpan Budget);
