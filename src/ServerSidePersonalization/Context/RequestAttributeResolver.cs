using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Context;

/// <summary>Builds the in-session attributes of a request from the connection, the headers and the clock.</summary>
internal sealed class RequestAttributeResolver
{
    private const string ForwardedForHeader = "X-Forwarded-For";

    // The private, loopback and link-local IPv4 ranges: a proxy's address, never a visitor's.
    private static readonly IPNetwork[] PrivateIPv4 =
        [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16")];

    private readonly RequestContextOptions _options;
    private readonly AttributeSource[] _custom;
    private readonly FrozenSet<string> _eventOnly;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestAttributeResolver> _logger;
    private int _warnedForwardedFor;

    public RequestAttributeResolver(IOptions<PersonalizationOptions> options, TimeProvider time, ILogger<RequestAttributeResolver> logger)
    {
        _options = options.Value.Context;
        _time = time;
        _logger = logger;
        _custom = [.. _options.Attributes.Select(a => AttributeSource.TryParse(a.Key, a.Value, out var source)
            ? source
            : throw new InvalidOperationException($"Personalization:Context:Attributes:{a.Key} is not of the form kind:name."))];
        _eventOnly = _options.EventOnlyAttributes.ToFrozenSet(StringComparer.Ordinal);
    }

    public RequestAttributes Resolve(HttpContext context)
    {
        // A TimeProvider may hand back "UTC now" with a local offset; the day and hour sent are UTC's.
        var now = _time.GetUtcNow().ToUniversalTime();
        Dictionary<string, string>? custom = null;
        foreach (var source in _custom)
        {
            if (Clean(source.Read(context)) is { } value)
            {
                custom ??= new Dictionary<string, string>(_custom.Length, StringComparer.Ordinal);
                custom[source.Attribute] = value;
            }
        }

        if (_options.IncludeIpAddress)
        {
            WarnIfForwardedForIgnored(context);
        }

        return new RequestAttributes(
            now,
            _options.IncludeDayOfWeek ? now.DayOfWeek : null,
            _options.IncludeTimeOfDay ? now.Hour : null,
            _options.IncludeIpAddress ? FormatAddress(context.Connection.RemoteIpAddress) : null,
            _options.IncludeUserAgent ? Clean(context.Request.Headers.UserAgent.ToString()) : null,
            custom);
    }

    /// <summary>
    /// A proxy that was trusted would have had its X-Forwarded-For applied and removed by <c>UseForwardedHeaders()</c>;
    /// the header still present on a connection from a private address means the address sent is the proxy's. Said once,
    /// without the address: it is the site's configuration, not the visitor, that needs attention.
    /// </summary>
    private void WarnIfForwardedForIgnored(HttpContext context)
    {
        if (Volatile.Read(ref _warnedForwardedFor) == 0
            && context.Request.Headers.ContainsKey(ForwardedForHeader)
            && context.Connection.RemoteIpAddress is { } remote
            && IsPrivate(remote)
            && Interlocked.Exchange(ref _warnedForwardedFor, 1) == 0)
        {
            Log.ForwardedForNotApplied(_logger);
        }
    }

    /// <summary>IPv4 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16 (also IPv4-mapped), IPv6 ::1, fc00::/7 and fe80::/10.</summary>
    private static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? PrivateIPv4.Any(network => network.Contains(address))
            : IPAddress.IsLoopback(address) || address.IsIPv6UniqueLocal || address.IsIPv6LinkLocal;
    }

    /// <summary>
    /// What providers are given of <paramref name="attributes"/>: all but the event-only custom attributes, so that
    /// whatever a provider could base its answer on is also in the cache key, and nothing else is.
    /// </summary>
    public RequestAttributes ForProviders(RequestAttributes attributes) => attributes.WithoutCustom(_eventOnly);

    private static string? FormatAddress(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>
    /// Drops control characters and line separators, trims, then cuts to the configured length without splitting a
    /// surrogate pair; an empty result is no value.
    /// </summary>
    private string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var span = value.AsSpan();
        var clean = span.ContainsAnyInRange('\0', '\u001f') || span.ContainsAnyInRange('\u007f', '\u009f') || span.ContainsAny('\u2028', '\u2029')
            ? string.Concat(value.Where(c => !char.IsControl(c) && c is not '\u2028' and not '\u2029')).Trim()
            : value.Trim();

        var max = _options.MaxValueLength;
        if (clean.Length > max)
        {
            clean = clean[..(char.IsHighSurrogate(clean[max - 1]) ? max - 1 : max)].TrimEnd();
        }

        return clean.Length == 0 ? null : clean;
    }
}
