namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>Dynamic Yield Experience API credentials.</summary>
public sealed class DynamicYieldOptions
{
    /// <summary>The server-side API key (sent as <c>DY-API-Key</c>). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API host: <c>https://dy-api.com</c> (US, the default) or <c>https://dy-api.eu</c> (EU), or a stub.</summary>
    public string BaseUrl { get; set; } = "https://dy-api.com";

    /// <summary>Campaign (selector) names served by Dynamic Yield while another provider is the main one. Default empty.</summary>
    public IList<string> Selectors { get; } = [];
}
