namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>What Dynamic Yield counts as an impression.</summary>
public enum DynamicYieldImpressionMode
{
    /// <summary>
    /// What the page rendered: choose is sent with <c>isImplicitImpressionMode: false</c> and an <c>IMP</c> engagement is
    /// reported for each choice rendered, once per page view. The default.
    /// </summary>
    Rendered,

    /// <summary>Every choice Dynamic Yield serves, counted by Dynamic Yield when it answers (its own default).</summary>
    Implicit,
}
