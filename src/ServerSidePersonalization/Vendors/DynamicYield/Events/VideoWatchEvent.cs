namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>A video watched, in part or in full, on a media site or app (<c>video-watch-v1</c>).</summary>
public sealed class VideoWatchEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Video Watch";

    /// <summary>Creates a video watch event.</summary>
    /// <param name="itemId">The video's id exactly as in the content feed.</param>
    /// <param name="autoPlay">Whether it played by itself (true) or because the visitor chose it (false, Dynamic Yield's default).</param>
    /// <param name="progress">How far it was watched; Dynamic Yield assumes <see cref="VideoWatchProgress.VideoStarted"/> when null.</param>
    /// <param name="progressPercent">
    /// With <see cref="VideoWatchProgress.VideoProgress"/> only, the share watched, 0 to 100.
    /// </param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">A value is missing, out of range or out of place; <c>ParamName</c> is the field.</exception>
    public VideoWatchEvent(string itemId, bool? autoPlay = null, VideoWatchProgress? progress = null, decimal? progressPercent = null, string? name = null)
        : base(name ?? DefaultName)
    {
        ItemId = DynamicYieldEventRules.Required(itemId, nameof(itemId));
        if (progress is { } value && !Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(nameof(progress), value, "progress is not a VideoWatchProgress value.");
        }

        if (progressPercent is { } percent)
        {
            if (progress != VideoWatchProgress.VideoProgress)
            {
                throw new ArgumentException("progressPercent goes only with progress VideoProgress (VIDEO_PROGRESS).", nameof(progressPercent));
            }

            ArgumentOutOfRangeException.ThrowIfNegative(percent, nameof(progressPercent));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100m, nameof(progressPercent));
        }

        AutoPlay = autoPlay;
        Progress = progress;
        ProgressPercent = progressPercent;
    }

    /// <summary>The video's id in the content feed.</summary>
    public string ItemId { get; }

    /// <summary>Whether the video played by itself, or null when not reported.</summary>
    public bool? AutoPlay { get; }

    /// <summary>How far the video was watched, or null when not reported.</summary>
    public VideoWatchProgress? Progress { get; }

    /// <summary>The share of the video watched (0 to 100) for <see cref="VideoWatchProgress.VideoProgress"/>, or null.</summary>
    public decimal? ProgressPercent { get; }

    internal override DynamicYieldEventProperties ToProperties() => new()
    {
        DyType = "video-watch-v1",
        ItemId = ItemId,
        AutoPlay = AutoPlay,
        Progress = Progress switch
        {
            VideoWatchProgress.VideoStarted => "VIDEO_STARTED",
            VideoWatchProgress.PrerollFinished => "PREROLL_FINISHED",
            VideoWatchProgress.VideoProgress => "VIDEO_PROGRESS",
            VideoWatchProgress.VideoFinished => "VIDEO_FINISHED",
            _ => null,
        },
        ProgressPercent = ProgressPercent,
    };
}
