namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// Whether the debug page is on (mapped in Development): only then do requests record their experiences' origins and
/// the tracking journal its events, so a site without the page pays one flag read.
/// </summary>
internal sealed class DebugRecording
{
    private volatile bool _enabled;

    public bool Enabled => _enabled;

    public void Enable() => _enabled = true;
}
