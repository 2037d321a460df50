namespace ServerSidePersonalization.Context;

/// <summary>Which in-session attributes go to the provider with every fetch.</summary>
public sealed class RequestContextOptions
{
    /// <summary>Send the UTC day of the week. Default true.</summary>
    public bool IncludeDayOfWeek { get; set; } = true;

    /// <summary>Send the UTC hour of the day (00 to 23). Default true.</summary>
    public bool IncludeTimeOfDay { get; set; } = true;

    /// <summary>Send the client's IP address as the connection reports it (after ForwardedHeaders, if used). Default true.</summary>
    public bool IncludeIpAddress { get; set; } = true;

    /// <summary>Send the request's User-Agent. Default true.</summary>
    public bool IncludeUserAgent { get; set; } = true;

    /// <summary>
    /// Custom attributes: attribute name to where its value comes from, written <c>query:name</c>, <c>header:name</c>,
    /// <c>cookie:name</c>, <c>claim:type</c> or <c>route:name</c>. For example
    /// <c>Personalization:Context:Attributes:utm_source = query:utm_source</c>. Default empty.
    /// </summary>
    public IDictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Names of custom attributes that only tracking destinations read (a vendor module adds those its events carry,
    /// such as the visitor's time zone). Providers never see them, so they are neither sent with a fetch nor part of the
    /// cache key: a value that changes no experience must not split a visitor's cache entries. Default empty.
    /// </summary>
    public ISet<string> EventOnlyAttributes { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The longest attribute value sent; longer values are cut to this length. Default 256.</summary>
    [System.ComponentModel.DataAnnotations.Range(16, 4096)]
    public int MaxValueLength { get; set; } = 256;
}
