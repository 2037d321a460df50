using System.Text.Json;
using System.Text.Json.Serialization;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// The outbox form of an impression or a click: every field of the <see cref="TrackingEvent"/>, its id unchanged (the
/// vendors' de-duplication id), the attribution's context verbatim. Conversions carry a vendor's own type and are not
/// written (they stay in memory).
/// </summary>
internal static class TrackingEventSerializer
{
    private const int Version = 1;

    /// <summary>The event as UTF-8 JSON, or null for a conversion.</summary>
    public static byte[]? Serialize(TrackingEvent trackingEvent)
    {
        if (trackingEvent is not { ExperienceKey: { } key, Attribution: { } attribution })
        {
            return null;
        }

        var identity = trackingEvent.Identity;
        var attributes = trackingEvent.Attributes;
        return JsonSerializer.SerializeToUtf8Bytes(
            new OutboxEvent(
                Version,
                trackingEvent.Id,
                trackingEvent.Kind,
                key,
                new OutboxAttribution(
                    attribution.Vendor,
                    attribution.Context.ValueKind == JsonValueKind.Undefined ? null : attribution.Context,
                    attribution.VariationId,
                    attribution.DecisionId),
                new OutboxIdentity(identity.CustomerId, identity.VisitorId, identity.SessionId, identity.IsNewVisitor, Copy(identity.Identifiers)),
                trackingEvent.OccurredAt,
                trackingEvent.ElementId,
                trackingEvent.SlotId,
                ReferenceEquals(attributes, RequestAttributes.Empty)
                    ? null
                    : new OutboxAttributes(attributes.Timestamp, attributes.DayOfWeek, attributes.HourOfDay, attributes.IpAddress, attributes.UserAgent, Copy(attributes.Custom)),
                trackingEvent.Action,
                Copy(trackingEvent.Fields)),
            TrackingJsonContext.Default.OutboxEvent);
    }

    /// <summary>The event, or null when the bytes are not an event of this format (the entry is then dead-lettered).</summary>
    public static TrackingEvent? Deserialize(byte[] payload)
    {
        try
        {
            var wire = JsonSerializer.Deserialize(payload, TrackingJsonContext.Default.OutboxEvent);
            // Missing members arrive as null whatever the records say.
            if (wire is not { Version: Version, Kind: TrackingEventKind.Impression or TrackingEventKind.Click, ExperienceKey: not null, Attribution.Vendor: not null, Identity: not null })
            {
                return null;
            }

            var identity = new VisitorIdentity(wire.Identity.CustomerId, wire.Identity.VisitorId, wire.Identity.SessionId, wire.Identity.IsNewVisitor, wire.Identity.Identifiers);
            var attributes = wire.Attributes is { } a ? new RequestAttributes(a.Timestamp, a.DayOfWeek, a.HourOfDay, a.IpAddress, a.UserAgent, a.Custom) : null;
            return new TrackingEvent(
                wire.Kind,
                wire.ExperienceKey,
                new ExperienceAttribution(wire.Attribution.Vendor, wire.Attribution.Context ?? default, wire.Attribution.VariationId, wire.Attribution.DecisionId),
                identity,
                wire.OccurredAt,
                wire.ElementId,
                wire.SlotId,
                attributes,
                wire.Id,
                wire.Action,
                wire.Fields is null ? null : new Dictionary<string, string>(wire.Fields, StringComparer.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? null : values.ToDictionary(StringComparer.Ordinal);
}

internal sealed record OutboxEvent(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("k")] TrackingEventKind Kind,
    [property: JsonPropertyName("x")] string ExperienceKey,
    [property: JsonPropertyName("a")] OutboxAttribution Attribution,
    [property: JsonPropertyName("u")] OutboxIdentity Identity,
    [property: JsonPropertyName("t")] DateTimeOffset OccurredAt,
    [property: JsonPropertyName("el")] string? ElementId,
    [property: JsonPropertyName("sl")] string? SlotId,
    [property: JsonPropertyName("r")] OutboxAttributes? Attributes,
    [property: JsonPropertyName("ac")] string? Action = null,
    [property: JsonPropertyName("f")] Dictionary<string, string>? Fields = null);

internal sealed record OutboxAttribution(
    [property: JsonPropertyName("v")] string Vendor,
    [property: JsonPropertyName("c")] JsonElement? Context,
    [property: JsonPropertyName("i")] string? VariationId,
    [property: JsonPropertyName("d")] string? DecisionId);

internal sealed record OutboxIdentity(
    [property: JsonPropertyName("c")] string? CustomerId,
    [property: JsonPropertyName("v")] string? VisitorId,
    [property: JsonPropertyName("s")] string? SessionId,
    [property: JsonPropertyName("n")] bool IsNewVisitor,
    [property: JsonPropertyName("i")] Dictionary<string, string>? Identifiers);

internal sealed record OutboxAttributes(
    [property: JsonPropertyName("t")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("d")] DayOfWeek? DayOfWeek,
    [property: JsonPropertyName("h")] int? HourOfDay,
    [property: JsonPropertyName("ip")] string? IpAddress,
    [property: JsonPropertyName("ua")] string? UserAgent,
    [property: JsonPropertyName("c")] Dictionary<string, string>? Custom);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(OutboxEvent))]
internal sealed partial class TrackingJsonContext : JsonSerializerContext;
