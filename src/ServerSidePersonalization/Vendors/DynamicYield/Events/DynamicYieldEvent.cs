using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// An event for Dynamic Yield's <c>POST /v2/collect/user/event</c>, passed to
/// <c>HttpContext.GetPersonalization().TrackConversion(...)</c>. Each type validates itself when created, so a bad event
/// throws an <see cref="ArgumentException"/> naming the field in the code that made it, before anything is queued.
/// </summary>
public abstract class DynamicYieldEvent : IConversionEvent
{
    /// <summary>Checks the display name that every event carries.</summary>
    private protected DynamicYieldEvent(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The event's display name (<c>name</c>); Dynamic Yield identifies a predefined event by its schema, not by this.</summary>
    public string Name { get; }

    /// <summary>The event's <c>properties</c> object, or null when it has none.</summary>
    internal abstract DynamicYieldEventProperties? ToProperties();
}
