namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>Whether visitors who are not signed in are sent to MoEngage.</summary>
public enum MoEngageAnonymousVisitors
{
    /// <summary>
    /// Fetch and report for them: by MoEngage's device id (<c>moe_uuid</c>) when the Web SDK set it, else by the site's
    /// visitor id, which MoEngage then knows as a user of its own.
    /// </summary>
    Send,

    /// <summary>Neither fetch nor report for them: their pages render fallbacks and no anonymous id reaches MoEngage.</summary>
    Skip,
}
