namespace ServerSidePersonalization.Experiences;

/// <summary>The main provider and those routed some keys whichever provider is the main one.</summary>
internal sealed record SelectedProviders(SelectedProvider Main, IReadOnlyList<(IReadOnlySet<string> Keys, SelectedProvider Provider)> Routed);
