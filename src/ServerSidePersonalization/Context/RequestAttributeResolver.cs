using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Context;

/// <summary>Builds the in-session attributes of a request from the connection, the headers and the clock.</summary>
internal sealed class RequestAttributeResolver
{
    private readonly RequestContextOptions _options;
    private readonly AttributeSource[] _custom;
    private readonly FrozenSet<string> _eventOnly;
    private readonly TimeProvider _time;

    public RequestAttributeResolver(IOptions<PersonalizationOptions> options, TimeProvider time)
    {
        _options = options.Value.Context;
        _time = time;
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

        return new RequestAttributes(
            now,
            _options.IncludeDayOfWeek ? now.DayOfWeek : null,
            _options.IncludeTimeOfDay ? now.Hour : null,
            _options.IncludeIpAddress ? FormatAddress(context.Connection.RemoteIpAddress) : null,
            _options.IncludeUserAgent ? Clean(context.Request.Headers.UserAgent.ToString()) : null,
            custom);
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
