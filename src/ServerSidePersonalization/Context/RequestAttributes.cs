namespace ServerSidePersonalization.Context;

/// <summary>The in-session attributes of one request, in vendor-neutral form; each vendor maps them to its own names.</summary>
public sealed class RequestAttributes
{
    private static readonly IReadOnlyDictionary<string, string> NoCustom = new Dictionary<string, string>(0);

    /// <summary>Creates the attributes of a request.</summary>
    /// <param name="timestamp">When the request arrived (UTC).</param>
    /// <param name="dayOfWeek">The UTC day of the week, or null when not sent.</param>
    /// <param name="hourOfDay">The UTC hour 0 to 23, or null when not sent.</param>
    /// <param name="ipAddress">The client address, or null when not sent.</param>
    /// <param name="userAgent">The User-Agent, or null when not sent.</param>
    /// <param name="custom">Configured custom attributes that had a value.</param>
    public RequestAttributes(
        DateTimeOffset timestamp,
        DayOfWeek? dayOfWeek = null,
        int? hourOfDay = null,
        string? ipAddress = null,
        string? userAgent = null,
        IReadOnlyDictionary<string, string>? custom = null)
    {
        Timestamp = timestamp;
        DayOfWeek = dayOfWeek;
        HourOfDay = hourOfDay;
        IpAddress = ipAddress;
        UserAgent = userAgent;
        Custom = custom ?? NoCustom;
    }

    /// <summary>Attributes with nothing known, for events created outside a request.</summary>
    public static RequestAttributes Empty { get; } = new(DateTimeOffset.UnixEpoch);

    /// <summary>When the request arrived, in UTC, from the library's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The UTC day of the week, or null when it is not sent.</summary>
    public DayOfWeek? DayOfWeek { get; }

    /// <summary>The UTC hour of the day (0 to 23), or null when it is not sent.</summary>
    public int? HourOfDay { get; }

    /// <summary>The client's IP address, or null when it is not sent.</summary>
    public string? IpAddress { get; }

    /// <summary>The request's User-Agent, or null when it is not sent.</summary>
    public string? UserAgent { get; }

    /// <summary>The configured custom attributes that had a value on this request.</summary>
    public IReadOnlyDictionary<string, string> Custom { get; }

    /// <summary>These attributes without the custom ones named in <paramref name="names"/>; the same instance when none is present.</summary>
    internal RequestAttributes WithoutCustom(IReadOnlySet<string> names)
    {
        if (names.Count == 0 || !Custom.Keys.Any(names.Contains))
        {
            return this;
        }

        var kept = Custom.Where(a => !names.Contains(a.Key)).ToDictionary(StringComparer.Ordinal);
        return new RequestAttributes(Timestamp, DayOfWeek, HourOfDay, IpAddress, UserAgent, kept);
    }
}
