namespace ServerSidePersonalization.Identity;

/// <summary>
/// The name of a registered <see cref="IIdentitySource"/>, registered beside it so that configuration can be checked
/// against the known names without building the sources (which read the options being checked).
/// </summary>
internal sealed record IdentitySourceName(string Name);
