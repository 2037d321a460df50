namespace ServerSidePersonalization.Caching;

/// <summary>Where the answer for one experience key of a request came from.</summary>
public enum ExperienceOrigin
{
    /// <summary>A fresh entry in memory.</summary>
    L1,

    /// <summary>A fresh entry in the distributed store.</summary>
    L2,

    /// <summary>The provider, on this request.</summary>
    Provider,

    /// <summary>A stale entry, served because the provider failed, was too slow or is waiting to be retried.</summary>
    Stale,

    /// <summary>Nothing: the provider failed or was too slow and there was no entry to fall back on.</summary>
    None,

    /// <summary>A QA preview: the variation named by a preview link, served past the cache and never reported.</summary>
    Preview,
}
