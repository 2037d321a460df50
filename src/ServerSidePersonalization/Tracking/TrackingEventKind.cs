namespace ServerSidePersonalization.Tracking;

/// <summary>What a visitor did with an experience.</summary>
public enum TrackingEventKind
{
    /// <summary>The experience was shown (rendered on a page).</summary>
    Impression,

    /// <summary>The visitor clicked an element of the experience.</summary>
    Click,
}
