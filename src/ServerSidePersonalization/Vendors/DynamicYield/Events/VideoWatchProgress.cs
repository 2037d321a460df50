namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>How far a video was watched, the <c>progress</c> of a <see cref="VideoWatchEvent"/>.</summary>
public enum VideoWatchProgress
{
    /// <summary>The video started playing (<c>VIDEO_STARTED</c>, Dynamic Yield's default).</summary>
    VideoStarted,

    /// <summary>The pre-roll was watched in full (<c>PREROLL_FINISHED</c>).</summary>
    PrerollFinished,

    /// <summary>A share of the video was watched (<c>VIDEO_PROGRESS</c>), given by <see cref="VideoWatchEvent.ProgressPercent"/>.</summary>
    VideoProgress,

    /// <summary>The video was watched to the end (<c>VIDEO_FINISHED</c>).</summary>
    VideoFinished,
}
