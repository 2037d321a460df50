using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>The body of <c>POST /v1/experiences/events</c>: at most 100 elements, one per user.</summary>
internal sealed record MoEngageEventsRequest(
    [property: JsonPropertyName("elements")] IReadOnlyList<MoEngageEventElement> Elements);

internal sealed record MoEngageEventElement(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("user_timezone_offset")] int? UserTimezoneOffset,
    [property: JsonPropertyName("actions")] IReadOnlyList<MoEngageEventAction> Actions);

/// <summary>One SHOWN or CLICKED action; <c>attributes</c> is the fetched <c>experience_context</c> (plus <c>b_id</c> for clicks).</summary>
internal sealed record MoEngageEventAction(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("moe_event_uuid")] string EventUuid,
    [property: JsonPropertyName("event_time")] long EventTime,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("attributes")] JsonElement Attributes);
