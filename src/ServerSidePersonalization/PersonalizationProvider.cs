namespace ServerSidePersonalization;

/// <summary>The system that decides which experiences a visitor gets.</summary>
public enum PersonalizationProvider
{
    /// <summary>Experiences from a local JSON file with deterministic bucketing; needs no network. The default.</summary>
    Local,

    /// <summary>MoEngage Personalize server-side experiences.</summary>
    MoEngage,

    /// <summary>Dynamic Yield Experience API campaigns.</summary>
    DynamicYield,
}
